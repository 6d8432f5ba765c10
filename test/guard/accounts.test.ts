import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { CradleError } from "../../src/core/errors.js";
import { AccountsDbError, readCloudDataclasses } from "../../src/guard/accounts.js";
import { unarchiveString } from "../../src/guard/keyed-archive.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/ios/accounts/", import.meta.url));
const JOSH = join(FIXTURES, "josh", "Accounts3.sqlite");
const BELKASOFT = join(FIXTURES, "belkasoft", "Accounts3.sqlite");

const CONTACTS = "com.apple.Dataclass.Contacts";
const CALENDARS = "com.apple.Dataclass.Calendars";
const CLOUD_PHOTOS = "com.apple.Dataclass.CloudPhotos";

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cradle-guard-test-"));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    out[name] = createHash("sha256")
      .update(readFileSync(join(dir, name)))
      .digest("hex");
  }
  return out;
}

describe("readCloudDataclasses", () => {
  it("finds Contacts, Calendars and CloudPhotos enabled on josh's iCloud account", () => {
    const cloud = readCloudDataclasses(JOSH);
    expect(cloud.account).toBe("thisisdfir@gmail.com");
    expect(cloud.enabled).toContain(CONTACTS);
    expect(cloud.enabled).toContain(CALENDARS);
    expect(cloud.enabled).toContain(CLOUD_PHOTOS);
    expect(cloud.enabled).toContain("com.apple.Dataclass.Backup");
  });

  it("reports josh's Google account as another over-the-air syncer, and not the holiday feed", () => {
    const { otherSyncers } = readCloudDataclasses(JOSH);
    expect(otherSyncers).toEqual([
      {
        accountType: "com.apple.account.Google",
        description: "Gmail",
        dataclasses: [CALENDARS, CONTACTS, "com.apple.Dataclass.Mail"],
      },
    ]);
  });

  it("finds Content, KeyValue, KeychainSync (and Mail, on a child) on belkasoft's iCloud account", () => {
    const cloud = readCloudDataclasses(BELKASOFT);
    expect(cloud.account).toBeDefined();
    expect([...cloud.enabled].sort()).toEqual([
      "com.apple.Dataclass.Content",
      "com.apple.Dataclass.KeyValue",
      "com.apple.Dataclass.KeychainSync",
      // Enabled on the iCloud account's IMAPMail child: children count towards their parent.
      "com.apple.Dataclass.Mail",
    ]);
    expect(cloud.otherSyncers).toEqual([]);
  });

  it("leaves the database, its -wal and its -shm byte-identical", () => {
    for (const db of [JOSH, BELKASOFT]) {
      const dir = join(db, "..");
      const before = hashes(dir);
      readCloudDataclasses(db);
      expect(hashes(dir)).toEqual(before);
    }
  });

  it("sees rows that exist only in the -wal", () => {
    const dir = tempDir();
    const path = join(dir, "Accounts3.sqlite");
    copyFileSync(BELKASOFT, path);
    copyFileSync(`${BELKASOFT}-wal`, `${path}-wal`);
    const writer = new Database(path);
    try {
      writer.pragma("wal_autocheckpoint = 0");
      // Turn iCloud Contacts on, looking rows up by name as the reader does; the open writer keeps
      // the change in the -wal, uncheckpointed.
      const apple = writer
        .prepare(
          `SELECT a.Z_PK AS pk FROM ZACCOUNT a JOIN ZACCOUNTTYPE t ON t.Z_PK = a.ZACCOUNTTYPE
            WHERE t.ZIDENTIFIER = 'com.apple.account.AppleAccount'`,
        )
        .get() as { pk: number };
      const contacts = (
        writer.prepare("SELECT Z_PK AS pk, ZNAME AS name FROM ZDATACLASS").all() as {
          pk: number;
          name: Buffer;
        }[]
      ).find((r) => unarchiveString(r.name) === CONTACTS); // a byte search would also hit ContactsSearch
      expect(contacts).toBeDefined();
      writer.prepare("INSERT INTO Z_2ENABLEDDATACLASSES VALUES (?, ?)").run(apple.pk, contacts?.pk);
      const mainOnly = join(tempDir(), "Accounts3.sqlite");
      copyFileSync(path, mainOnly);
      expect(readCloudDataclasses(mainOnly).enabled).not.toContain(CONTACTS);
      expect(readCloudDataclasses(path).enabled).toContain(CONTACTS);
    } finally {
      writer.close();
    }
  });

  it("names the path of a missing file", () => {
    const path = join(tempDir(), "nowhere", "Accounts3.sqlite");
    expect(() => readCloudDataclasses(path)).toThrow(AccountsDbError);
    expect(() => readCloudDataclasses(path)).toThrow(path);
  });

  it("names the path of a corrupt file", () => {
    const path = join(tempDir(), "Accounts3.sqlite");
    writeFileSync(path, randomBytes(8192));
    let caught: unknown;
    try {
      readCloudDataclasses(path);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CradleError);
    expect(caught).toBeInstanceOf(AccountsDbError);
    expect((caught as AccountsDbError).message).toContain(path);
    expect((caught as AccountsDbError).data).toMatchObject({ path });
  });

  it("rejects an SQLite file that is not an accounts database", () => {
    const path = join(tempDir(), "Accounts3.sqlite");
    const db = new Database(path);
    db.exec("CREATE TABLE t (x)");
    db.close();
    expect(() => readCloudDataclasses(path)).toThrow(/not an Accounts3 database/);
  });
});
