import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createVirtualDevice } from "../../src/device/virtual/create.js";
import { archiveString } from "../../src/device/virtual/keyed-archive-writer.js";
import { devicePath } from "../../src/device/virtual/layout.js";
import { unarchiveString } from "../../src/guard/keyed-archive.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "ios");

/** Opens a copy of a fixture (with its -wal) so that the committed files stay untouched. */
function fixtureCopy(folder: string, file: string): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), "cradle-fixture-"));
  for (const f of readdirSync(join(FIXTURES, folder)).filter((f) => f.startsWith(file)))
    cpSync(join(FIXTURES, folder, f), join(dir, f));
  return new Database(join(dir, file), { readonly: true });
}

function schemaOf(db: Database.Database): string[] {
  try {
    return (
      db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master").all() as Record<
        string,
        string | null
      >[]
    )
      .map((r) => JSON.stringify([r.type, r.name, r.tbl_name, r.sql]))
      .sort();
  } finally {
    db.close();
  }
}

describe("the virtual iPhone's stores use the real iOS 15 schemas", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "cradle-device-")), "phone");
  createVirtualDevice(dir, { sample: 3, icloud: ["photos"] });

  it("is left checkpointed (checked before any test opens a store): no -wal or -shm beside the stores", () => {
    expect(readdirSync(join(dir, "Library", "AddressBook"))).toEqual(["AddressBook.sqlitedb"]);
    expect(readdirSync(join(dir, "Library", "Accounts"))).toEqual(["Accounts3.sqlite"]);
  });

  it("AddressBook.sqlitedb has exactly the fixture's tables, indexes, triggers and full-text table", () => {
    const made = schemaOf(new Database(devicePath(dir, "addressBook"), { readonly: true }));
    expect(made).toEqual(schemaOf(fixtureCopy("addressbook", "AddressBook.sqlitedb")));
  });

  it("Accounts3.sqlite has exactly the josh fixture's schema", () => {
    const made = schemaOf(new Database(devicePath(dir, "accounts"), { readonly: true }));
    expect(made).toEqual(schemaOf(fixtureCopy("accounts/josh", "Accounts3.sqlite")));
  });

  it("archives data class names byte for byte as iOS does", () => {
    const db = fixtureCopy("accounts/josh", "Accounts3.sqlite");
    try {
      const rows = db.prepare("SELECT ZNAME FROM ZDATACLASS").pluck().all() as Buffer[];
      expect(rows.length).toBeGreaterThan(40);
      for (const bytes of rows) {
        const name = unarchiveString(bytes) as string;
        expect(archiveString(name).equals(bytes), name).toBe(true);
      }
    } finally {
      db.close();
    }
  });
});
