import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { parse, parseBinary } from "plist";
import { describe, expect, it } from "vitest";
import { backupFileId } from "../../../src/adapters/backup-folder/manifest.js";
import { showEndpoint } from "../../../src/api/show.js";
import { BackupFolderSource, BackupFolderTarget } from "../../../src/backup/ios-backup/index.js";
import { createVirtualDevice } from "../../../src/device/virtual/create.js";
import { makeBackup } from "../../adapters/backup-folder/make-backup.js";
import { DEVICE, dir, exportItems, file, homeItems, type Item, link, readItems, sorted } from "./trees.js";

const tempRoot = () => mkdtempSync(join(tmpdir(), "cradle-ios-backup-"));

async function roundTrip(items: Item[]) {
  const target = join(tempRoot(), "backup");
  await exportItems(new BackupFolderTarget(target), items);
  const source = new BackupFolderSource(target);
  try {
    return {
      target,
      read: await readItems(source),
      device: await source.device(),
      missing: source.missing(),
    };
  } finally {
    await source.close();
  }
}

const SAMPLE: Item[] = [
  dir("HomeDomain", ""),
  dir("HomeDomain", "Library"),
  dir("HomeDomain", "Library/Preferences"),
  file("HomeDomain", "Library/Preferences/com.apple.springboard.plist", "<plist/>"),
  file("HomeDomain", "Library/SMS/sms.db", Buffer.alloc(70_000, 7)),
  link("HomeDomain", "Library/Link", "../Media/elsewhere"),
  file("HomeDomain", "Library/Notes/Ünïcødé 📝.txt", "note"),
  file("HomeDomain", "Library/empty", ""),
  dir("CameraRollDomain", "Media"),
  file("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.JPG", Buffer.from([0xff, 0xd8, 0xff, 0xe0])),
  file("AppDomain-com.example.app", "Documents/data.json", "{}"),
];

describe("backup folder export and import", () => {
  it("gives back the same entries and bytes, in domain and path order", async () => {
    const { read, missing } = await roundTrip(SAMPLE);
    expect(read).toEqual(sorted(SAMPLE));
    expect(missing).toEqual([]);
  });

  it("lays the folder out as Finder does: xx/fileID, Manifest.db rows, three plists", async () => {
    const { target } = await roundTrip(SAMPLE);
    const smsId = backupFileId("HomeDomain", "Library/SMS/sms.db");
    expect(readFileSync(join(target, smsId.slice(0, 2), smsId))).toEqual(Buffer.alloc(70_000, 7));
    const db = new Database(join(target, "Manifest.db"), { readonly: true });
    const rows = db.prepare("SELECT fileID, domain, relativePath, flags FROM Files").all() as {
      fileID: string;
      domain: string;
      relativePath: string;
      flags: number;
    }[];
    db.close();
    expect(rows).toHaveLength(SAMPLE.length);
    for (const row of rows) expect(row.fileID).toBe(backupFileId(row.domain, row.relativePath));
    expect(rows.find((r) => r.relativePath === "Library/Link")?.flags).toBe(4);
    expect(rows.find((r) => r.relativePath === "Library")?.flags).toBe(2);
    const status = parseBinary(readFileSync(join(target, "Status.plist"))) as Record<string, unknown>;
    expect(status.SnapshotState).toBe("finished");
    const manifest = parseBinary(readFileSync(join(target, "Manifest.plist"))) as Record<string, unknown>;
    expect(manifest.IsEncrypted).toBe(false);
    expect((manifest.Lockdown as Record<string, unknown>).UniqueDeviceID).toBe(DEVICE.udid);
    const info = parse(readFileSync(join(target, "Info.plist"), "utf8")) as Record<string, unknown>;
    expect(info["Unique Identifier"]).toBe(DEVICE.udid.toUpperCase());
    // Private: the folder is 0700 and what it holds 0600.
    expect(statSync(target).mode & 0o777).toBe(0o700);
    for (const name of [
      "Manifest.db",
      "Manifest.plist",
      "Status.plist",
      "Info.plist",
      join(smsId.slice(0, 2), smsId),
    ])
      expect(statSync(join(target, name)).mode & 0o777).toBe(0o600);
    // Only the backup itself: no temp folder left beside it.
    expect(readdirSync(join(target, ".."))).toEqual(["backup"]);
  });

  it("reads the device back from Info.plist, or from Manifest.plist when Info.plist is gone", async () => {
    const { device, target } = await roundTrip(SAMPLE);
    expect(device).toEqual(DEVICE);
    unlinkSync(join(target, "Info.plist"));
    expect(await new BackupFolderSource(target).device()).toEqual(DEVICE);
  });

  it("round-trips any set of paths, names and contents (property)", async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9 ._é-]{1,12}$/).filter((s) => s !== "." && s !== "..");
    const arbitraryItem = fc
      .tuple(
        fc.constantFrom("HomeDomain", "MediaDomain", "AppDomain-com.example.x"),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: 2_000_000_000 }),
      )
      .map(([domain, parts, bytes, seconds]) =>
        file(domain, parts.join("/"), Buffer.from(bytes), seconds * 1000),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(arbitraryItem, {
          maxLength: 8,
          selector: (item) => `${item.entry.domain}-${item.entry.relativePath}`,
        }),
        async (items) => {
          const { read } = await roundTrip(items);
          expect(read).toEqual(sorted(items));
        },
      ),
      { numRuns: 15 },
    );
  });

  it("exports a virtual iPhone whose contacts the backup: endpoint then reads", async () => {
    const root = tempRoot();
    const home = join(root, "device");
    createVirtualDevice(home, { sample: 5, seed: "export-test" });
    const items = homeItems(home).filter((item) => !/-(wal|shm)$/.test(item.entry.relativePath));
    await exportItems(new BackupFolderTarget(join(root, "backup")), items);
    const fromBackup = await showEndpoint("contacts", `backup:${join(root, "backup")}`);
    const fromDevice = await showEndpoint("contacts", `ios:${home}`);
    expect(fromBackup.items.length).toBe(5);
    expect(fromBackup.items.map((c) => c.label).sort()).toEqual(fromDevice.items.map((c) => c.label).sort());
  });

  it("reads the backups the backup: contacts tests build (makeBackup)", async () => {
    const root = tempRoot();
    const home = join(root, "device");
    createVirtualDevice(home, { sample: 3, seed: "import-test" });
    const made = makeBackup(home, join(root, "backup"));
    const source = new BackupFolderSource(made.dir);
    const read = await readItems(source);
    await source.close();
    const files = read.filter((item) => item.entry.kind === "file");
    expect(files.length).toBe(made.files.size);
    for (const item of files) {
      const fileID = made.files.get(item.entry.relativePath) as string;
      expect(item.content).toEqual(readFileSync(join(made.dir, fileID.slice(0, 2), fileID)));
      expect(item.entry.size).toBe(item.content?.length);
      expect(item.entry.mode).toBe(0o644);
    }
    expect(read.find((item) => item.entry.relativePath === "")?.entry.kind).toBe("dir");
  });

  it("replaces an older backup in the folder at once, and refuses a folder that is not a backup", async () => {
    const root = tempRoot();
    const target = join(root, "backup");
    await exportItems(new BackupFolderTarget(target), SAMPLE);
    await exportItems(new BackupFolderTarget(target), [file("HomeDomain", "only.txt", "new")]);
    const source = new BackupFolderSource(target);
    expect((await readItems(source)).map((item) => item.entry.relativePath)).toEqual(["only.txt"]);
    await source.close();
    expect(readdirSync(root)).toEqual(["backup"]);

    const precious = join(root, "precious");
    mkdirSync(precious);
    writeFileSync(join(precious, "thesis.txt"), "do not lose");
    await expect(exportItems(new BackupFolderTarget(precious), SAMPLE)).rejects.toMatchObject({
      code: "BackupTargetError",
    });
    expect(readdirSync(precious)).toEqual(["thesis.txt"]);
    expect(readdirSync(root).sort()).toEqual(["backup", "precious"]);
  });

  it("abort leaves nothing behind, and the old backup as it was", async () => {
    const root = tempRoot();
    const target = join(root, "backup");
    await exportItems(new BackupFolderTarget(target), SAMPLE);
    const before = readFileSync(join(target, "Manifest.db"));
    const export2 = new BackupFolderTarget(target);
    await export2.put(file("HomeDomain", "a.txt", "a").entry, undefined);
    await export2.abort();
    expect(readdirSync(root)).toEqual(["backup"]);
    expect(readFileSync(join(target, "Manifest.db"))).toEqual(before);
    expect(existsSync(join(target, "Status.plist"))).toBe(true);
    expect(statSync(target).isDirectory()).toBe(true);
  });
});
