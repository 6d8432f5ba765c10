/**
 * The change log other iOS processes read after Cradle writes, kept as iOS itself keeps it
 * (as observed in the iOS 15 fixture):
 * - `_SqliteDatabaseProperties.__CPRecordSequenceNumber`: the last save's sequence number;
 *   every save takes the next one.
 * - `ClientSequence(sequence_number, client_identifier, save_timestamp)`: who saved it, when
 *   (Core Data seconds, REAL).
 * - `ABPersonChanges(record, type, sequence_number, ...)`: one row per saved person. Type 0 is
 *   an insert and 1 an update (observed); 2 for a delete follows that order (not observed).
 *   ExternalIdentifier and StoreID let the CardDAV daemon (dataaccessd) push the change, and
 *   remove a deleted card from its server.
 * - `ABPersonMultiValueDeletes`: each multi-value removed from a person that still exists.
 * ClientCursor/ClientCursorConsumed belong to the readers of this log and are not touched.
 */
import type Database from "better-sqlite3";
import { statement } from "../../shared/statements.js";
import type { StoredMultiValue } from "./read.js";
import { toCoreDataSeconds } from "./schema.js";

export const CRADLE_CLIENT_ID = "org.cradle.sync";

export const PersonChange = { insert: 0, update: 1, delete: 2 } as const;
export type PersonChangeType = (typeof PersonChange)[keyof typeof PersonChange];

const SEQUENCE_KEY = "__CPRecordSequenceNumber";

/** Takes the next save sequence number and records who saved. */
export function beginSave(db: Database.Database, clientId: string, now: Date): number {
  const stored = statement(db, "SELECT value FROM _SqliteDatabaseProperties WHERE key = ?").get(
    SEQUENCE_KEY,
  ) as { value: string } | undefined;
  // The last save's row, by ROWID: MAX(sequence_number) would scan the whole table on every save.
  const fallback = statement(
    db,
    "SELECT sequence_number AS n FROM ClientSequence ORDER BY ROWID DESC LIMIT 1",
  ).get() as { n: number | null } | undefined;
  const sequence = Math.max(Number(stored?.value ?? 0) || 0, fallback?.n ?? 0) + 1;
  statement(db, "INSERT OR REPLACE INTO _SqliteDatabaseProperties(key, value) VALUES (?, ?)").run(
    SEQUENCE_KEY,
    String(sequence),
  );
  statement(
    db,
    "INSERT INTO ClientSequence(sequence_number, client_identifier, save_timestamp) VALUES (?, ?, ?)",
  ).run(sequence, clientId, toCoreDataSeconds(now));
  return sequence;
}

export interface ChangedPerson {
  rowid: number;
  guid: string;
  externalIdentifier: string | null;
  storeId: number | null;
  personLink: number;
}

export function recordPersonChange(
  db: Database.Database,
  type: PersonChangeType,
  person: ChangedPerson,
  sequence: number,
): void {
  // Image and Changes as the fixture's rows hold them: Image 0 on updates, NULL otherwise.
  statement(
    db,
    `INSERT INTO ABPersonChanges(record, type, sequence_number, Image, ExternalIdentifier, StoreID, PersonLink, guid, Changes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`,
  ).run(
    person.rowid,
    type,
    sequence,
    type === PersonChange.update ? 0 : null,
    person.externalIdentifier,
    person.storeId,
    person.personLink,
    person.guid,
  );
}

export function recordMultiValueDelete(
  db: Database.Database,
  person: { rowid: number; guid: string },
  row: StoredMultiValue,
  sequence: number,
): void {
  statement(
    db,
    `INSERT INTO ABPersonMultiValueDeletes(record_id, property_id, identifier, sequence_number, record_uid, identifier_uid)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(person.rowid, row.property, row.identifier, sequence, person.guid, row.guid);
}
