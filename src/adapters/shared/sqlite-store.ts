/**
 * Opening one of the device's SQLite stores in place, so SQLite reads the `-wal` beside it
 * (copying only the main file loses what the WAL holds), and checking that it has the tables the
 * caller needs. Every failure is the caller's error, naming the file.
 */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";

export interface StoreSpec {
  /** "AddressBook": what the file should be, for "not an iOS AddressBook database". */
  kind: string;
  tables: readonly string[];
  fail: (path: string, message: string) => Error;
  /** Runs before the check, e.g. to register the SQL functions the schema calls. */
  setup?: (db: Database.Database) => void;
}

export function openSqliteStore(path: string, readonly: boolean, spec: StoreSpec): Database.Database {
  if (!existsSync(path)) throw spec.fail(path, "no such file");
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: true });
  } catch (e) {
    throw spec.fail(path, (e as Error).message);
  }
  try {
    spec.setup?.(db);
    const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    const present = new Set(rows.map((r) => r.name));
    const missing = spec.tables.filter((t) => !present.has(t));
    if (missing.length > 0) throw new Error(`not an iOS ${spec.kind} database (no ${missing.join(", ")})`);
  } catch (e) {
    db.close();
    throw spec.fail(path, (e as Error).message);
  }
  return db;
}
