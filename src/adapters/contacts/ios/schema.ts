/**
 * Opening AddressBook.sqlitedb (iOS 15+ schema) and the constants of its layout.
 *
 * The database runs in WAL mode and most of its rows may still sit in `-wal`: it is opened in
 * place, so SQLite reads the `-wal` and `-shm` beside it. Copying only the main file loses data.
 */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { type GuidSource, randomGuid, registerAppleFunctions } from "./functions.js";

/** ABMultiValue.property: Apple publishes no numbers; 3/4/5/22 observed, the rest after iLEAPP. */
export const Property = {
  phone: 3,
  email: 4,
  address: 5,
  date: 12,
  instantMessage: 13,
  url: 22,
  relatedName: 23,
  socialProfile: 46,
} as const;

/** Seconds from the Unix epoch to Core Data's 2001-01-01T00:00:00Z. */
export const CORE_DATA_EPOCH = 978307200;

/** The tables Cradle reads; a file without them is not an AddressBook. */
const REQUIRED_TABLES = [
  "ABPerson",
  "ABMultiValue",
  "ABMultiValueLabel",
  "ABMultiValueEntry",
  "ABMultiValueEntryKey",
  "ABGroup",
  "ABGroupMembers",
  "ABPersonChanges",
  "ABPersonMultiValueDeletes",
  "_SqliteDatabaseProperties",
];

export class AddressBookError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`AddressBook ${path}: ${message}`);
    this.name = "AddressBookError";
  }
}

export interface OpenOptions {
  readonly?: boolean;
  /** Where new guids come from (tests pass a counter). */
  newGuid?: GuidSource;
}

/** Opens the database with its WAL, registers Apple's SQL functions and checks the schema. */
export function openAddressBook(path: string, options: OpenOptions = {}): Database.Database {
  if (!existsSync(path)) throw new AddressBookError(path, "no such file");
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: true });
  } catch (e) {
    throw new AddressBookError(path, (e as Error).message);
  }
  try {
    registerAppleFunctions(db, options.newGuid ?? randomGuid);
    const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    const present = new Set(rows.map((r) => r.name));
    const missing = REQUIRED_TABLES.filter((t) => !present.has(t));
    if (missing.length > 0) throw new Error(`not an iOS AddressBook database (no ${missing.join(", ")})`);
  } catch (e) {
    db.close();
    if (e instanceof AddressBookError) throw e;
    throw new AddressBookError(path, (e as Error).message);
  }
  return db;
}

/** Core Data seconds (integer or float, possibly as TEXT) to a JS Date. */
export function fromCoreDataSeconds(seconds: number | string): Date {
  return new Date((Number(seconds) + CORE_DATA_EPOCH) * 1000);
}

export function toCoreDataSeconds(date: Date): number {
  return date.getTime() / 1000 - CORE_DATA_EPOCH;
}
