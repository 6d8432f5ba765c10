/**
 * Prepared statements, once per connection and SQL text. Preparing a statement on an iOS store
 * compiles the triggers of every table it touches (the AddressBook has dozens): a sync or a
 * virtual iPhone that writes thousands of rows would spend most of its time preparing.
 * A statement switched to pluck() or raw() stays so: give each such use its own SQL text.
 */
import type Database from "better-sqlite3";

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}
