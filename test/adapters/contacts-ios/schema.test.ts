import { copyFileSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { AddressBookError, openAddressBook } from "../../../src/adapters/contacts/ios/schema.js";
import { copyFixture, openFixture } from "./fixture.js";

let db: Database.Database | undefined;
afterEach(() => db?.close());

describe("openAddressBook", () => {
  it("registers every Apple function the schema calls", () => {
    ({ db } = openFixture());
    const sql = (db.prepare("SELECT group_concat(sql, ' ') AS s FROM sqlite_master").get() as { s: string })
      .s;
    const called = [...new Set([...sql.matchAll(/\b(ab_[a-z_]+)\s*\(/gi)].map((m) => m[1]))].sort();
    expect(called).toEqual(["ab_generate_guid", "ab_update_value_from_trigger"]);
    expect(db.prepare("SELECT ab_generate_guid() AS g").get()).toEqual({
      g: expect.stringMatching(/^[0-9A-F-]{36}$/),
    });
    expect(db.prepare("SELECT ab_update_value_from_trigger(1 = 1, 'IsPreferredName', 3) AS v").get()).toEqual(
      { v: 1 },
    );
  });

  it("lets the schema's triggers run: a group insert and an ABPersonLink insert", () => {
    ({ db } = openFixture());
    db.prepare("INSERT INTO ABGroup(Name, StoreID) VALUES ('Friends', 0)").run();
    const link = db
      .prepare("INSERT INTO ABPersonLink(PreferredNamePersonID) VALUES (7)")
      .run().lastInsertRowid;
    db.prepare("UPDATE ABPerson SET PersonLink = ? WHERE ROWID = 7").run(link);
    expect(db.prepare("SELECT IsPreferredName FROM ABPerson WHERE ROWID = 7").get()).toEqual({
      IsPreferredName: 1,
    });
    expect(db.prepare("SELECT guid FROM ABGroup WHERE Name = 'Friends'").get()).toEqual({
      guid: expect.any(String),
    });
  });

  it("a plain SQLite connection cannot insert, which is why the functions exist", () => {
    const path = copyFixture();
    const plain = new Database(path);
    try {
      expect(() => plain.prepare("INSERT INTO ABPerson(First) VALUES ('x')").run()).toThrow(
        /ab_generate_guid/,
      );
    } finally {
      plain.close();
    }
  });

  it("names the file when it is not a database", () => {
    const path = copyFixture();
    writeFileSync(path, Buffer.alloc(8192, 0x41));
    expect(() => openAddressBook(path)).toThrow(AddressBookError);
    expect(() => openAddressBook(path)).toThrow(`AddressBook ${path}: file is not a database`);
  });

  it("names the file when it is SQLite but not an AddressBook", () => {
    const path = copyFixture();
    const other = new Database(`${path}.other`);
    other.exec("CREATE TABLE t(x)");
    other.close();
    copyFileSync(`${path}.other`, path);
    expect(() => openAddressBook(path)).toThrow(
      new RegExp(`AddressBook ${path}: not an iOS AddressBook database`),
    );
  });

  it("names the file when it is missing", () => {
    expect(() => openAddressBook("/nonexistent/AddressBook.sqlitedb")).toThrow(
      "AddressBook /nonexistent/AddressBook.sqlitedb: no such file",
    );
  });
});
