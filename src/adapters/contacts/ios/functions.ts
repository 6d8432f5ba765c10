/**
 * The Apple-only SQL functions that AddressBook.sqlitedb's schema calls. Without them every
 * INSERT fails ("unknown function: ab_generate_guid()"), as do the ABPersonLink triggers.
 *
 * Found in the iOS 15 fixture's `.schema`:
 * - `ab_generate_guid()`: the DEFAULT of `guid` in ABStore, ABPerson, ABPersonLink, ABGroup,
 *   ABAccount and ABMultiValue. Apple's guids are upper-case UUIDs.
 * - `ab_update_value_from_trigger(value, column, rowid)`: the value the ABPersonLink triggers
 *   set into ABPerson.IsPreferredName. Apple's version also tells the in-memory record cache
 *   about the change; on disk it amounts to storing `value`, a comparison, hence 0/1.
 *
 * The FTS4 index ABPersonFullTextSearch uses Apple's `ab_cf_tokenizer`, which cannot be
 * registered from JavaScript: Cradle never touches that table (see write.ts).
 */
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";

export type GuidSource = () => string;

export const randomGuid: GuidSource = () => randomUUID().toUpperCase();

export function registerAppleFunctions(db: Database.Database, newGuid: GuidSource = randomGuid): void {
  // Not deterministic: SQLite must call it once per row, never fold it into a constant.
  db.function("ab_generate_guid", { deterministic: false }, () => newGuid());
  db.function(
    "ab_update_value_from_trigger",
    { deterministic: true, varargs: true },
    (...args: unknown[]) => {
      const value = args[0];
      return typeof value === "boolean" ? Number(value) : (value ?? null);
    },
  );
}
