import { mkdirSync, mkdtempSync, readdirSync, renameSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { BackupError, EncryptedBackupError } from "../../../src/adapters/backup-folder/errors.js";
import { BackupManifest, backupFileId, withManifest } from "../../../src/adapters/backup-folder/manifest.js";
import { openEndpoint } from "../../../src/adapters/resolve.js";
import { showEndpoint } from "../../../src/api/show.js";
import { syncEndpoints } from "../../../src/api/sync.js";
import { createVirtualDevice } from "../../../src/device/virtual/create.js";
import { snapshot } from "../../support/snapshot.js";
import { type MakeBackupOptions, makeBackup } from "./make-backup.js";

const ADDRESS_BOOK = "Library/AddressBook/AddressBook.sqlitedb";
const SAMPLE = 12;

/** A virtual iPhone with SAMPLE contacts and a backup folder made from it. */
function deviceAndBackup(options: MakeBackupOptions = {}) {
  const root = mkdtempSync(join(tmpdir(), "cradle-backup-test-"));
  const home = join(root, "device");
  createVirtualDevice(home, { sample: SAMPLE, seed: "backup-test" });
  const backup = makeBackup(home, join(root, "backup"), options);
  return { root, home, dir: backup.dir, files: backup.files };
}

function editManifest(dir: string, sql: string, ...args: unknown[]): void {
  const db = new Database(join(dir, "Manifest.db"));
  db.prepare(sql).run(...args);
  db.close();
}

describe("backup folder manifest", () => {
  it("names files sha1(domain-relativePath), as real backups do", () => {
    expect(backupFileId("HomeDomain", ADDRESS_BOOK)).toBe("31bb7ba8914766d4ba40d6dfb6113c8b614be442");
  });

  it("finds a file by domain and path at DIR/xx/fileID, and reports what it does not hold", () => {
    const { dir } = deviceAndBackup();
    withManifest(dir, (manifest) => {
      const found = manifest.require("HomeDomain", ADDRESS_BOOK);
      expect(found.path).toBe(join(dir, "31", "31bb7ba8914766d4ba40d6dfb6113c8b614be442"));
      expect(found.flags).toBe(1);
      expect(manifest.find("HomeDomain", "Library/Nothing.db")).toBeUndefined();
      expect(() => manifest.require("HomeDomain", "Library/AddressBook")).toThrow(/not a file/);
    });
  });

  it("refuses an encrypted backup, naming the folder (XML and binary Manifest.plist)", () => {
    for (const binaryManifestPlist of [false, true]) {
      const { dir } = deviceAndBackup({ encrypted: true, binaryManifestPlist });
      const before = snapshot(dir);
      expect(() => BackupManifest.open(dir)).toThrow(EncryptedBackupError);
      expect(() => BackupManifest.open(dir)).toThrow(new RegExp(`${dir}.*encrypted`));
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it("reads a binary Manifest.plist as Finder writes it", async () => {
    const { dir } = deviceAndBackup({ binaryManifestPlist: true });
    expect((await showEndpoint("contacts", `backup:${dir}`)).items).toHaveLength(SAMPLE);
  });

  it("refuses a fileID that is not 40 hex digits", () => {
    const { dir } = deviceAndBackup();
    editManifest(
      dir,
      "UPDATE Files SET fileID = ? WHERE relativePath = ?",
      "../../../etc/passwd",
      ADDRESS_BOOK,
    );
    expect(() => withManifest(dir, (m) => m.find("HomeDomain", ADDRESS_BOOK))).toThrow(
      /not 40 lower-case hex/,
    );
  });

  it("refuses a fileID that is not sha1 of its domain and path", () => {
    const { dir, files } = deviceAndBackup();
    const other = files.get("Library/Accounts/Accounts3.sqlite") as string;
    editManifest(dir, "DELETE FROM Files WHERE fileID = ?", other);
    editManifest(dir, "UPDATE Files SET fileID = ? WHERE relativePath = ?", other, ADDRESS_BOOK);
    expect(() => withManifest(dir, (m) => m.find("HomeDomain", ADDRESS_BOOK))).toThrow(
      /not sha1 of its domain and path/,
    );
  });

  it("refuses a content file that leads outside the backup folder", () => {
    const { root, dir } = deviceAndBackup();
    const outside = join(root, "elsewhere");
    mkdirSync(outside);
    renameSync(join(dir, "31"), join(outside, "31"));
    symlinkSync(join(outside, "31"), join(dir, "31"));
    expect(() => withManifest(dir, (m) => m.find("HomeDomain", ADDRESS_BOOK))).toThrow(
      /leads outside the backup folder/,
    );
  });

  it("says when the folder is no backup at all", () => {
    const empty = mkdtempSync(join(tmpdir(), "cradle-not-a-backup-"));
    expect(() => BackupManifest.open(empty)).toThrow(/no Manifest.plist/);
  });
});

describe("backup: contacts endpoint", () => {
  it("shows the device's contacts, exactly as ios: reads them from the device itself", async () => {
    const { home, dir } = deviceAndBackup();
    const before = snapshot(dir);
    const fromBackup = await showEndpoint("contacts", `backup:${dir}`);
    const fromDevice = await showEndpoint("contacts", `ios:${home}`);
    expect(fromBackup.errors).toEqual([]);
    expect(fromBackup.items).toHaveLength(SAMPLE);
    expect(fromBackup.items).toEqual(fromDevice.items);
    expect(snapshot(dir)).toEqual(before);
  });

  it("lists ABPerson ROWIDs with their ModificationDate, like ios:", async () => {
    const { home, dir } = deviceAndBackup();
    const backup = await openEndpoint("contacts", `backup:${dir}`);
    const device = await openEndpoint("contacts", `ios:${home}`);
    expect(await backup.list()).toEqual(await device.list());
    expect(backup.readOnly).toBe(true);
    expect(await backup.guard()).toEqual({ enabled: true });
  });

  it("syncs into a vdir without ever writing the backup, and rests on the second run", async () => {
    const { root, dir } = deviceAndBackup();
    const before = snapshot(dir);
    const endpoints = [`backup:${dir}`, `vdir:${join(root, "vdir")}`];
    const stateFile = join(root, "state.sqlite");
    const first = await syncEndpoints({ domain: "contacts", endpoints, stateFile });
    expect(first.skipped).toEqual([]);
    expect(first.endpoints[1]?.created).toBe(SAMPLE);
    expect(readdirSync(join(root, "vdir")).filter((f) => f.endsWith(".vcf"))).toHaveLength(SAMPLE);
    const again = await syncEndpoints({ domain: "contacts", endpoints, stateFile });
    expect(again.endpoints.map((e) => e.created + e.updated + e.deleted + e.failed)).toEqual([0, 0]);
    expect(snapshot(dir)).toEqual(before);
  });

  it("says which domain and path are missing when the backup has no AddressBook", async () => {
    const { dir } = deviceAndBackup({ omit: [ADDRESS_BOOK] });
    const shown = showEndpoint("contacts", `backup:${dir}`);
    await expect(shown).rejects.toBeInstanceOf(BackupError);
    await expect(shown).rejects.toThrow(`does not hold HomeDomain/${ADDRESS_BOOK}`);
  });

  it("refuses a content file that is not an AddressBook, naming the backup path", async () => {
    const { dir, files } = deviceAndBackup();
    const accounts = files.get("Library/Accounts/Accounts3.sqlite") as string;
    const book = files.get(ADDRESS_BOOK) as string;
    renameSync(join(dir, accounts.slice(0, 2), accounts), join(dir, book.slice(0, 2), book));
    const shown = showEndpoint("contacts", `backup:${dir}`);
    await expect(shown).rejects.toThrow(
      new RegExp(`backup:${dir} HomeDomain/${ADDRESS_BOOK}: not an iOS AddressBook`),
    );
  });

  it("answers a write with failures and changes nothing", async () => {
    const { dir } = deviceAndBackup();
    const before = snapshot(dir);
    const backup = await openEndpoint("contacts", `backup:${dir}`);
    const outcomes = await backup.write({
      create: [{ uid: "x", fields: {} as never }],
      update: [],
      delete: ["1"],
    });
    expect(outcomes.map((o) => o.ok)).toEqual([false, false]);
    expect(snapshot(dir)).toEqual(before);
  });
});
