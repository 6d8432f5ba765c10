/**
 * Manifest.db of an iOS backup folder (Finder/iTunes/idevicebackup2 layout): the table
 * `Files(fileID, domain, relativePath, flags, file)` that says where each device file is stored,
 * namely at `DIR/<fileID[0:2]>/<fileID>` with fileID = sha1(domain + "-" + relativePath).
 *
 * The backup stays byte-identical: Manifest.db is in WAL mode, and even a read-only SQLite open
 * would create `-shm` (and `-wal`) beside it, so it is copied to a private temp dir and opened there.
 */
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import Database from "better-sqlite3";
import { BackupError } from "./errors.js";
import { isEncrypted, readManifestPlist } from "./plists.js";

/** Files.flags: 1 file, 2 directory, 4 symlink. */
export const FileFlags = { file: 1, directory: 2, symlink: 4 } as const;

/** One Files row as stored, with its MBFile blob (`file`). */
export interface ManifestRow {
  fileID: string;
  domain: string;
  relativePath: string;
  flags: number;
  file: Buffer | null;
}

/** Rows per query when walking the whole manifest: bounded memory on backups of 100,000 files. */
const PAGE = 1000;

export interface BackupFile extends ManifestRow {
  /** Where the content is stored inside the backup folder. */
  path: string;
}

const FILE_ID = /^[0-9a-f]{40}$/;

/** The name a backup stores a device file under. */
export function backupFileId(domain: string, relativePath: string): string {
  return createHash("sha1").update(`${domain}-${relativePath}`).digest("hex");
}

/** A backup folder's Manifest.db, opened from a private copy; close() removes the copy. */
export class BackupManifest {
  private constructor(
    readonly dir: string,
    private readonly db: Database.Database,
    private readonly scratch: string,
  ) {}

  /**
   * Refuses encrypted backups (Manifest.plist IsEncrypted) before touching Manifest.db, unless
   * `decrypt` is given: then the private copy is the decrypted database.
   */
  static open(dirArg: string, decrypt?: (encrypted: Buffer) => Buffer): BackupManifest {
    const dir = resolve(dirArg);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new BackupError(`${dir} is not a folder. backup: takes the folder of one iOS backup.`, { dir });
    const encrypted = isEncrypted(readManifestPlist(dir, { encryptedOk: decrypt !== undefined }));
    const manifest = join(dir, "Manifest.db");
    if (!existsSync(manifest))
      throw new BackupError(
        `${dir} has no Manifest.db. Backups from before iOS 10 (Manifest.mbdb) cannot be read; make a new backup of the device.`,
        { dir },
      );
    const scratch = mkdtempSync(join(tmpdir(), "cradle-manifest-"));
    try {
      if (encrypted && decrypt) writeFileSync(join(scratch, "Manifest.db"), decrypt(readFileSync(manifest)));
      // The WAL may hold rows not yet checkpointed into the main file; the -shm is rebuilt.
      else
        for (const suffix of ["", "-wal"])
          if (existsSync(manifest + suffix))
            copyFileSync(manifest + suffix, join(scratch, `Manifest.db${suffix}`));
      const db = new Database(join(scratch, "Manifest.db"), { readonly: true, fileMustExist: true });
      try {
        db.prepare("SELECT fileID, domain, relativePath, flags FROM Files LIMIT 1").all();
      } catch (error) {
        db.close();
        throw new BackupError(`${manifest} is not a backup manifest (${(error as Error).message}).`, {
          dir,
        });
      }
      return new BackupManifest(dir, db, scratch);
    } catch (error) {
      rmSync(scratch, { recursive: true, force: true });
      if (error instanceof BackupError) throw error;
      throw new BackupError(`${manifest} cannot be opened: ${(error as Error).message}.`, { dir });
    }
  }

  /** The stored file for a device path, or undefined when the backup does not hold it. */
  find(domain: string, relativePath: string): BackupFile | undefined {
    const rows = this.db
      .prepare(
        "SELECT fileID, domain, relativePath, flags, file FROM Files WHERE domain = ? AND relativePath = ?",
      )
      .all(domain, relativePath) as ManifestRow[];
    if (rows.length === 0) return undefined;
    for (const row of rows) this.checkFileId(row);
    const row = rows[0] as ManifestRow;
    return { ...row, path: this.contentPath(row) };
  }

  /**
   * Every row, domains and paths in order (so a folder comes before what it holds), each checked:
   * a fileID that is not sha1(domain-relativePath) is refused.
   */
  *rows(): Generator<ManifestRow> {
    const first = this.db.prepare(
      "SELECT fileID, domain, relativePath, flags, file FROM Files ORDER BY domain, relativePath LIMIT ?",
    );
    const next = this.db.prepare(
      "SELECT fileID, domain, relativePath, flags, file FROM Files WHERE (domain, relativePath) > (?, ?) ORDER BY domain, relativePath LIMIT ?",
    );
    let page = first.all(PAGE) as ManifestRow[];
    while (page.length > 0) {
      for (const row of page) {
        this.checkFileId(row);
        yield row;
      }
      const last = page[page.length - 1] as ManifestRow;
      page = next.all(last.domain, last.relativePath, PAGE) as ManifestRow[];
    }
  }

  /** Like find(), but a missing or non-file entry is an error naming the domain and path. */
  require(domain: string, relativePath: string): BackupFile {
    const found = this.find(domain, relativePath);
    if (!found)
      throw new BackupError(
        `The backup in ${this.dir} does not hold ${domain}/${relativePath} (no such row in Manifest.db).`,
        { dir: this.dir, domain, relativePath },
      );
    if (found.flags !== FileFlags.file)
      throw new BackupError(
        `${domain}/${relativePath} in the backup in ${this.dir} is not a file (Manifest.db flags ${found.flags}).`,
        { dir: this.dir, domain, relativePath, flags: found.flags },
      );
    if (!existsSync(found.path))
      throw new BackupError(
        `The backup in ${this.dir} lists ${domain}/${relativePath} but its content file ${found.path} is missing; the backup is incomplete.`,
        { dir: this.dir, domain, relativePath, path: found.path },
      );
    return found;
  }

  close(): void {
    this.db.close();
    rmSync(this.scratch, { recursive: true, force: true });
  }

  /** A fileID that is not sha1(domain-relativePath) could point anywhere: refuse it. */
  private checkFileId(row: ManifestRow): void {
    if (typeof row.domain !== "string" || typeof row.relativePath !== "string")
      throw new BackupError(
        `Manifest.db in ${this.dir} has a row (fileID ${JSON.stringify(row.fileID)}) whose domain or relativePath is not text; refusing to read a damaged or hostile backup.`,
        { dir: this.dir, fileID: row.fileID },
      );
    const expected = backupFileId(row.domain, row.relativePath);
    const where = `${row.domain}/${row.relativePath}`;
    if (typeof row.fileID !== "string" || !FILE_ID.test(row.fileID))
      throw new BackupError(
        `Manifest.db in ${this.dir} gives ${where} the fileID ${JSON.stringify(row.fileID)}, which is not 40 lower-case hex digits; refusing to read a damaged or hostile backup.`,
        { dir: this.dir, domain: row.domain, relativePath: row.relativePath, fileID: row.fileID },
      );
    if (row.fileID !== expected)
      throw new BackupError(
        `Manifest.db in ${this.dir} gives ${where} the fileID ${row.fileID}, not sha1 of its domain and path (${expected}); refusing to read a damaged or hostile backup.`,
        { dir: this.dir, domain: row.domain, relativePath: row.relativePath, fileID: row.fileID },
      );
  }

  /**
   * `DIR/xx/fileID`, or the flat `DIR/fileID` of backups up to iOS 10.2. The real path must stay
   * inside DIR: a symlinked subfolder or file must not lead the read elsewhere.
   */
  contentPath(row: ManifestRow): string {
    const nested = join(this.dir, row.fileID.slice(0, 2), row.fileID);
    const flat = join(this.dir, row.fileID);
    const path = !existsSync(nested) && existsSync(flat) ? flat : nested;
    if (existsSync(path)) {
      const inside = relative(realpathSync(this.dir), realpathSync(path));
      if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside))
        throw new BackupError(
          `The content file of ${row.domain}/${row.relativePath} (${path}) leads outside the backup folder ${this.dir}; refusing to read it.`,
          { dir: this.dir, domain: row.domain, relativePath: row.relativePath, path },
        );
    }
    return path;
  }
}

/** Opens the manifest for one use and always closes it. */
export function withManifest<T>(dir: string, use: (manifest: BackupManifest) => T): T {
  const manifest = BackupManifest.open(dir);
  try {
    return use(manifest);
  } finally {
    manifest.close();
  }
}
