/**
 * Test helper: turns an iOS home tree (a virtual iPhone from createVirtualDevice) into a backup
 * folder in the Finder/idevicebackup2 layout: Manifest.db with the real Files/Properties schema,
 * each HomeDomain file stored at `xx/sha1("HomeDomain-" + relativePath)`, and Info.plist,
 * Manifest.plist (XML) and Status.plist (binary) as the device and host write them.
 */
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { build, buildBinary } from "plist";
import { backupFileId } from "../../../src/adapters/backup-folder/manifest.js";
import { readLockdownValues } from "../../../src/device/virtual/identity.js";
import { devicePath } from "../../../src/device/virtual/layout.js";

/** Fixed, so one home always gives the same backup bytes. */
const BACKUP_DATE = new Date("2024-11-05T10:00:00Z");
const UNIX_SECONDS = Math.floor(BACKUP_DATE.getTime() / 1000);
const SQLITE_SIDE_FILES = /-(wal|shm|journal)$/;

export interface MakeBackupOptions {
  /** Device paths to leave out of the backup, e.g. the AddressBook. */
  omit?: string[];
  /** Manifest.plist IsEncrypted (the content is not really encrypted; Cradle must stop first). */
  encrypted?: boolean;
  /** Write Manifest.plist as a binary plist, as Finder does. */
  binaryManifestPlist?: boolean;
}

export interface MadeBackup {
  dir: string;
  /** relativePath → fileID for every stored HomeDomain file. */
  files: Map<string, string>;
}

export function makeBackup(home: string, dir: string, options: MakeBackupOptions = {}): MadeBackup {
  mkdirSync(dir, { recursive: true });
  const omit = new Set(options.omit ?? []);
  const entries = walk(home, "").filter((e) => !omit.has(e.relativePath));
  const db = new Database(join(dir, "Manifest.db"));
  const files = new Map<string, string>();
  try {
    // The observed fixture's header says WAL; closing checkpoints and removes -wal and -shm.
    db.pragma("journal_mode = WAL");
    db.exec(`
      CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
      CREATE INDEX FilesDomainIdx ON Files(domain);
      CREATE INDEX FilesRelativePathIdx ON Files(relativePath);
      CREATE INDEX FilesFlagsIdx ON Files(flags);
      CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);
    `);
    const insert = db.prepare("INSERT INTO Files VALUES (?, ?, ?, ?, ?)");
    const domain = "HomeDomain";
    insert.run(backupFileId(domain, ""), domain, "", 2, mbFile("", 0, 0o40755));
    db.transaction(() => {
      for (const entry of entries) {
        const fileID = backupFileId(domain, entry.relativePath);
        if (entry.directory) {
          insert.run(fileID, domain, entry.relativePath, 2, mbFile(entry.relativePath, 0, 0o40755));
          continue;
        }
        const content = contentOf(entry.path);
        mkdirSync(join(dir, fileID.slice(0, 2)), { recursive: true });
        writeFileSync(join(dir, fileID.slice(0, 2), fileID), content);
        insert.run(
          fileID,
          domain,
          entry.relativePath,
          1,
          mbFile(entry.relativePath, content.length, 0o100644, content),
        );
        files.set(entry.relativePath, fileID);
      }
    })();
  } finally {
    db.close();
  }
  writePlists(home, dir, options);
  return { dir, files };
}

/** Files and folders under home, parents first; SQLite's side files are merged, not stored. */
function walk(root: string, prefix: string): { path: string; relativePath: string; directory: boolean }[] {
  const out: { path: string; relativePath: string; directory: boolean }[] = [];
  for (const name of readdirSync(join(root, prefix)).sort()) {
    const relativePath = prefix === "" ? name : `${prefix}/${name}`;
    const path = join(root, relativePath);
    if (statSync(path).isDirectory()) {
      out.push({ path, relativePath, directory: true });
      out.push(...walk(root, relativePath));
    } else if (!SQLITE_SIDE_FILES.test(name)) out.push({ path, relativePath, directory: false });
  }
  return out;
}

/** A database's bytes with its -wal checkpointed in (on a copy: the home stays as it was). */
function contentOf(path: string): Buffer {
  if (!existsSync(`${path}-wal`)) return readFileSync(path);
  const scratch = mkdtempSync(join(tmpdir(), "cradle-make-backup-"));
  try {
    const copy = join(scratch, "db");
    for (const suffix of ["", "-wal"]) copyFileSync(path + suffix, copy + suffix);
    const db = new Database(copy);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    return readFileSync(copy);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The Files.file column: an NSKeyedArchiver MBFile with the keys the research observed. */
function mbFile(relativePath: string, size: number, mode: number, content?: Buffer): Buffer {
  const file: Record<string, unknown> = {
    $class: { UID: 3 },
    RelativePath: { UID: 2 },
    Size: size,
    Mode: mode,
    UserID: 501,
    GroupID: 501,
    InodeNumber: 0,
    Flags: 0,
    Birth: UNIX_SECONDS,
    LastModified: UNIX_SECONDS,
    LastStatusChange: UNIX_SECONDS,
    ProtectionClass: content ? 3 : 0,
  };
  if (content) file.Digest = createHash("sha1").update(content).digest();
  return Buffer.from(
    buildBinary({
      $version: 100000,
      $archiver: "NSKeyedArchiver",
      $top: { root: { UID: 1 } },
      $objects: [
        "$null",
        file as never,
        relativePath,
        { $classname: "MBFile", $classes: ["MBFile", "NSObject"] },
      ],
    }),
  );
}

function writePlists(home: string, dir: string, options: MakeBackupOptions): void {
  const identity = readLockdownValues(devicePath(home, "lockdownValues")) ?? {};
  const udid = identity.UniqueDeviceID ?? "0".repeat(40);
  writeFileSync(
    join(dir, "Info.plist"),
    build({
      "Build Version": identity.BuildVersion ?? "",
      "Device Name": identity.DeviceName ?? "",
      "Display Name": identity.DeviceName ?? "",
      GUID: "00000000-0000-4000-8000-000000000000",
      "Last Backup Date": BACKUP_DATE,
      "Product Type": identity.ProductType ?? "",
      "Product Version": identity.ProductVersion ?? "",
      "Serial Number": identity.SerialNumber ?? "",
      "Target Identifier": udid,
      "Target Type": "Device",
      "Unique Identifier": udid.toUpperCase(),
    }),
  );
  const manifest = {
    IsEncrypted: options.encrypted ?? false,
    Version: "10.0",
    Date: BACKUP_DATE,
    WasPasscodeSet: false,
    Lockdown: {
      ProductVersion: identity.ProductVersion ?? "",
      ProductType: identity.ProductType ?? "",
      BuildVersion: identity.BuildVersion ?? "",
      UniqueDeviceID: udid,
      SerialNumber: identity.SerialNumber ?? "",
      DeviceName: identity.DeviceName ?? "",
    },
    Applications: {},
  };
  writeFileSync(
    join(dir, "Manifest.plist"),
    options.binaryManifestPlist ? Buffer.from(buildBinary(manifest)) : build(manifest),
  );
  writeFileSync(
    join(dir, "Status.plist"),
    Buffer.from(
      buildBinary({
        BackupState: "new",
        Date: BACKUP_DATE,
        IsFullBackup: true,
        Version: "3.3",
        SnapshotState: "finished",
        UUID: "00000000-0000-4000-8000-000000000001",
      }),
    ),
  );
}
