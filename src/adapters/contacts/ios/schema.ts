/**
 * Opening AddressBook.sqlitedb (iOS 15+ schema) and the constants of its layout.
 *
 * The database runs in WAL mode and most of its rows may still sit in `-wal`: it is opened in
 * place, so SQLite reads the `-wal` and `-shm` beside it. Copying only the main file loses data.
 */
import type Database from "better-sqlite3";
import { openSqliteStore } from "../../shared/sqlite-store.js";
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
  return openSqliteStore(path, options.readonly ?? false, {
    kind: "AddressBook",
    tables: REQUIRED_TABLES,
    fail: (file, message) => new AddressBookError(file, message),
    setup: (db) => registerAppleFunctions(db, options.newGuid ?? randomGuid),
  });
}

/** Core Data seconds (integer or float, possibly as TEXT) to a JS Date. */
export function fromCoreDataSeconds(seconds: number | string): Date {
  return new Date((Number(seconds) + CORE_DATA_EPOCH) * 1000);
}

export function toCoreDataSeconds(date: Date): number {
  return date.getTime() / 1000 - CORE_DATA_EPOCH;
}
