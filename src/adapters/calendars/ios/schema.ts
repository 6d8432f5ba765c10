/**
 * Opening Calendar.sqlitedb (the iOS schema in src/device/virtual/schemas/calendar.sql).
 *
 * Like the AddressBook it runs in WAL mode: it is opened in place so SQLite reads the `-wal`
 * beside it. It calls no Apple SQL functions, so nothing needs registering.
 */
import type Database from "better-sqlite3";
import { openSqliteStore } from "../../shared/sqlite-store.js";

/** The tables Cradle reads or writes; a file without them is not a Calendar database. */
const REQUIRED_TABLES = [
  "Store",
  "Calendar",
  "CalendarItem",
  "CalendarItemChanges",
  "Recurrence",
  "ExceptionDate",
  "Alarm",
  "Location",
  "Participant",
  "Identity",
  "ClientSequence",
  "_SqliteDatabaseProperties",
];

export class CalendarDbError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`Calendar ${path}: ${message}`);
    this.name = "CalendarDbError";
  }
}

/** Opens the database with its WAL and checks that it has the tables Cradle needs. */
export function openCalendarDb(path: string, options: { readonly?: boolean } = {}): Database.Database {
  return openSqliteStore(path, options.readonly ?? false, {
    kind: "Calendar",
    tables: REQUIRED_TABLES,
    fail: (file, message) => new CalendarDbError(file, message),
    // A sync may touch thousands of rows across a dozen indexes: keep their pages in memory.
    setup: (db) => db.pragma("cache_size = -32768"),
  });
}
