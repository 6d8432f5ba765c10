/**
 * Opening Calendar.sqlitedb (the iOS schema in src/device/virtual/schemas/calendar.sql).
 *
 * Like the AddressBook it runs in WAL mode: it is opened in place so SQLite reads the `-wal`
 * beside it. It calls no Apple SQL functions, so nothing needs registering.
 */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";

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
  if (!existsSync(path)) throw new CalendarDbError(path, "no such file");
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: true });
  } catch (e) {
    throw new CalendarDbError(path, (e as Error).message);
  }
  try {
    // A sync may touch thousands of rows across a dozen indexes: keep their pages in memory.
    db.pragma("cache_size = -32768");
    const present = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (r) => r.name,
      ),
    );
    const missing = REQUIRED_TABLES.filter((t) => !present.has(t));
    if (missing.length > 0) throw new Error(`not an iOS Calendar database (no ${missing.join(", ")})`);
  } catch (e) {
    db.close();
    throw new CalendarDbError(path, (e as Error).message);
  }
  return db;
}
