/**
 * Writing one Contact into AddressBook.sqlitedb: create, update or delete an ABPerson with its
 * multi-values, labels and change-log rows, all in one transaction.
 *
 * - Unchanged contacts write nothing: the wanted columns and rows are compared with the stored
 *   ones first, and no statement runs (no WAL frame, no sequence number) when they agree.
 * - ModificationDate is set on every change, CreationDate on create (Core Data seconds, integer
 *   as iOS stores them).
 * - The schema's triggers keep ABPhoneLastFour (on delete), ABPersonLink, ABPersonSearchKey
 *   (on delete) and the *SortSectionCount tables consistent; Cradle fills ABPhoneLastFour for
 *   new numbers and the change log (change-tracking.ts) itself.
 * - Not maintained, as no open tool can: the ICU sort keys (FirstSort, LastSort, *SortSection;
 *   new rows keep the schema defaults) and the FTS4 index ABPersonFullTextSearch (Apple's
 *   ab_cf_tokenizer). Photos live in AddressBookImages.sqlitedb, a separate file, keyed by ROWID.
 */
import type Database from "better-sqlite3";
import { statement } from "../../shared/statements.js";
import type { Contact } from "../model.js";
import {
  beginSave,
  type ChangedPerson,
  CRADLE_CLIENT_ID,
  PersonChange,
  recordPersonChange,
} from "./change-tracking.js";
import { dateFromCoreData } from "./dates.js";
import { contactToColumns, PERSON_COLUMNS, type PersonColumns } from "./person.js";
import { loadPersons, type PersonRecord } from "./read.js";
import { toCoreDataSeconds } from "./schema.js";
import { applyMultiValues, isEmptyPlan, planMultiValues } from "./write-multivalues.js";

export interface WriteOptions {
  /** The save time (tests fix it). */
  now?: Date;
  /** ClientSequence.client_identifier of Cradle's saves. */
  clientId?: string;
  /** ABStore ROWID for new contacts; default: the database's DefaultStore. */
  storeId?: number;
}

export interface WriteResult {
  rowid: number;
  /** False when the stored person already matched, and nothing was written. */
  changed: boolean;
}

function sameColumn(name: keyof PersonColumns, stored: unknown, wanted: unknown): boolean {
  if (name === "Kind") return Number(stored ?? 0) === Number(wanted ?? 0);
  if (name === "Birthday")
    return (
      dateFromCoreData(stored === null ? null : String(stored)) ===
      dateFromCoreData(wanted === null ? null : String(wanted))
    );
  return String(stored ?? "") === String(wanted ?? "");
}

function changedColumns(stored: PersonColumns, wanted: PersonColumns): (keyof PersonColumns)[] {
  return PERSON_COLUMNS.filter((name) => !sameColumn(name, stored[name], wanted[name]));
}

const coreDataNow = (now: Date) => Math.floor(toCoreDataSeconds(now));

function tracked(db: Database.Database, rowid: number): ChangedPerson {
  const row = statement(
    db,
    "SELECT ROWID AS rowid, guid, ExternalIdentifier AS ext, StoreID AS store, PersonLink AS link FROM ABPerson WHERE ROWID = ?",
  ).get(rowid) as {
    rowid: number;
    guid: string;
    ext: string | null;
    store: number | null;
    link: number | null;
  };
  return {
    rowid: row.rowid,
    guid: row.guid,
    externalIdentifier: row.ext,
    storeId: row.store,
    personLink: row.link ?? -1,
  };
}

function defaultStore(db: Database.Database): number {
  const row = statement(db, "SELECT value FROM _SqliteDatabaseProperties WHERE key = 'DefaultStore'").get() as
    | { value: string }
    | undefined;
  const store = Number(row?.value);
  return Number.isInteger(store) ? store : 0;
}

/** The contact's UID becomes the guid when it is free; otherwise ab_generate_guid() makes one. */
function freeGuid(db: Database.Database, uid: string): string | undefined {
  if (uid === "") return undefined;
  const taken = statement(db, "SELECT 1 FROM ABPerson WHERE guid = ?").get(uid);
  return taken ? undefined : uid;
}

function createPerson(db: Database.Database, contact: Contact, options: WriteOptions, now: number): number {
  const columns = contactToColumns(contact);
  const guid = freeGuid(db, contact.uid);
  const names = [...PERSON_COLUMNS, "CreationDate", "ModificationDate", "StoreID", ...(guid ? ["guid"] : [])];
  const values = [
    ...PERSON_COLUMNS.map((c) => columns[c]),
    now,
    now,
    options.storeId ?? defaultStore(db),
    ...(guid ? [guid] : []),
  ];
  const sql = `INSERT INTO ABPerson(${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`;
  const rowid = Number(statement(db, sql).run(...values).lastInsertRowid);
  const person = tracked(db, rowid);
  const sequence = beginSave(db, options.clientId ?? CRADLE_CLIENT_ID, options.now ?? new Date());
  applyMultiValues(db, person, planMultiValues([], contact), undefined);
  recordPersonChange(db, PersonChange.insert, person, sequence);
  return rowid;
}

function updatePerson(
  db: Database.Database,
  stored: PersonRecord,
  contact: Contact,
  options: WriteOptions,
  now: number,
): boolean {
  const wanted = contactToColumns(contact);
  const columns = changedColumns(stored.columns, wanted);
  const plan = planMultiValues(stored.multiValues, contact);
  if (columns.length === 0 && isEmptyPlan(plan)) return false;
  const sequence = beginSave(db, options.clientId ?? CRADLE_CLIENT_ID, options.now ?? new Date());
  const assignments = [...columns.map((c) => `${c} = ?`), "ModificationDate = ?"].join(", ");
  statement(db, `UPDATE ABPerson SET ${assignments} WHERE ROWID = ?`).run(
    ...columns.map((c) => wanted[c]),
    now,
    stored.rowid,
  );
  applyMultiValues(db, stored, plan, sequence);
  recordPersonChange(db, PersonChange.update, tracked(db, stored.rowid), sequence);
  return true;
}

function deletePerson(db: Database.Database, rowid: number, options: WriteOptions): void {
  const person = tracked(db, rowid);
  const sequence = beginSave(db, options.clientId ?? CRADLE_CLIENT_ID, options.now ?? new Date());
  // Triggers clear ABPersonLink, ABPersonSearchKey, the sort counts and ABPhoneLastFour.
  statement(
    db,
    "DELETE FROM ABMultiValueEntry WHERE parent_id IN (SELECT UID FROM ABMultiValue WHERE record_id = ?)",
  ).run(rowid);
  statement(db, "DELETE FROM ABMultiValue WHERE record_id = ?").run(rowid);
  statement(db, "DELETE FROM ABGroupMembers WHERE member_type = 0 AND member_id = ?").run(rowid);
  statement(db, "DELETE FROM ABPerson WHERE ROWID = ?").run(rowid);
  recordPersonChange(db, PersonChange.delete, person, sequence);
}

/**
 * Creates (no rowid), updates (contact and rowid) or deletes (null and rowid) one person.
 * Throws when the rowid names no person; nothing is written then.
 */
export function writeContact(
  db: Database.Database,
  contact: Contact | null,
  rowid?: number,
  options: WriteOptions = {},
): WriteResult {
  const now = coreDataNow(options.now ?? new Date());
  return db
    .transaction((): WriteResult => {
      if (rowid === undefined) {
        if (contact === null) throw new Error("writeContact: nothing to delete without a ROWID");
        return { rowid: createPerson(db, contact, options, now), changed: true };
      }
      const stored = loadPersons(db, rowid)[0];
      if (!stored) throw new Error(`writeContact: no ABPerson with ROWID ${rowid} in ${db.name}`);
      if (contact === null) {
        deletePerson(db, rowid, options);
        return { rowid, changed: true };
      }
      return { rowid, changed: updatePerson(db, stored, contact, options, now) };
    })
    .immediate();
}
