/** A writable copy of the iOS 15 AddressBook fixture (main file, -wal and -shm together). */
import { copyFileSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import { readAddressBook } from "../../../src/adapters/contacts/ios/read.js";
import { openAddressBook } from "../../../src/adapters/contacts/ios/schema.js";

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/ios/addressbook");

export function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "cradle-ab-"));
  for (const name of readdirSync(FIXTURE).filter((n) => n.startsWith("AddressBook.sqlitedb")))
    copyFileSync(join(FIXTURE, name), join(dir, name));
  return join(dir, "AddressBook.sqlitedb");
}

let counter = 0;
/** Opens a fresh copy; guids come from a counter so that runs are repeatable. */
export function openFixture(): { db: Database.Database; path: string } {
  const path = copyFixture();
  const db = openAddressBook(path, {
    newGuid: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}`,
  });
  return { db, path };
}

/** Rows of a table in a stable order, for before/after comparisons. */
export function tableRows(db: Database.Database, table: string): unknown[] {
  return db.prepare(`SELECT rowid AS _rowid, * FROM ${table} ORDER BY rowid`).all();
}

export const TRACKED_TABLES = [
  "ABPerson",
  "ABMultiValue",
  "ABMultiValueEntry",
  "ABMultiValueLabel",
  "ABMultiValueEntryKey",
  "ABPhoneLastFour",
  "ABPersonChanges",
  "ABPersonMultiValueDeletes",
  "ClientSequence",
  "_SqliteDatabaseProperties",
  "FirstSortSectionCount",
  "LastSortSectionCount",
];

export function snapshot(db: Database.Database): Record<string, unknown[]> {
  return Object.fromEntries(TRACKED_TABLES.map((t) => [t, tableRows(db, t)]));
}

/**
 * PRAGMA integrity_check table by table: the whole-database form also checks the FTS4 table,
 * whose tokenizer (Apple's ab_cf_tokenizer) exists only on iOS.
 */
export function integrityProblems(db: Database.Database): string[] {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")
    .all() as { name: string }[];
  return tables.flatMap(({ name }) =>
    (db.prepare(`PRAGMA integrity_check("${name}")`).all() as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .filter((r) => r !== "ok"),
  );
}

/** A contact as stored, by ABPerson ROWID. */
export function contactAt(db: Database.Database, rowid: number) {
  const found = readAddressBook(db).contacts.find((c) => c.rowid === rowid);
  if (!found) throw new Error(`no ABPerson ${rowid}`);
  return found;
}
