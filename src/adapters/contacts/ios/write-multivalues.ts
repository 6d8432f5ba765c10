/**
 * Which ABMultiValue rows a write inserts, updates and deletes for one person.
 *
 * Rows are matched first by their X-CRADLE-IOS-ID identifier, then (for entries that lost it,
 * e.g. after a trip through a peer that drops unknown companions) by equal value, so that an
 * unchanged value keeps its row, its guid and its identifier. New rows take the next identifier
 * after the person's highest for that property.
 */
import type Database from "better-sqlite3";
import { statement } from "../../shared/statements.js";
import type { Contact } from "../model.js";
import { recordMultiValueDelete } from "./change-tracking.js";
import { dateFromCoreData } from "./dates.js";
import { internValue } from "./labels.js";
import { entryToRow, MODELED_KEYS, type MultiValueRow } from "./multivalues.js";
import type { StoredMultiValue } from "./read.js";
import { Property } from "./schema.js";

export interface MultiValuePlan {
  insert: (MultiValueRow & { identifier: number })[];
  update: { stored: StoredMultiValue; wanted: MultiValueRow }[];
  remove: StoredMultiValue[];
}

const sameEntries = (a: Record<string, string>, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
/** Dates compare by calendar day: iOS may store another time of day than the noon Cradle writes. */
const storedForm = (row: MultiValueRow) =>
  row.property === Property.date ? (dateFromCoreData(row.value) ?? row.value) : (row.value ?? "");
const sameValue = (a: MultiValueRow, b: MultiValueRow) =>
  storedForm(a) === storedForm(b) && sameEntries(a.entries, b.entries);
const sameRow = (a: MultiValueRow, b: MultiValueRow) =>
  sameValue(a, b) && (a.label ?? "") === (b.label ?? "");

/** Entry keys Cradle does not model stay as they are stored (e.g. an address's SubLocality). */
function keepUnmodeled(stored: StoredMultiValue, wanted: MultiValueRow): MultiValueRow {
  const modeled = new Set(MODELED_KEYS[stored.property] ?? []);
  const kept = Object.fromEntries(Object.entries(stored.entries).filter(([key]) => !modeled.has(key)));
  return { ...wanted, entries: { ...kept, ...wanted.entries } };
}

export function planMultiValues(stored: StoredMultiValue[], contact: Contact): MultiValuePlan {
  const wanted = contact.entries.map(entryToRow).filter((row): row is MultiValueRow => row !== undefined);
  const unclaimed = new Map(stored.map((row) => [`${row.property}/${row.identifier}`, row]));
  const plan: MultiValuePlan = { insert: [], update: [], remove: [] };
  const pairs: { stored: StoredMultiValue; wanted: MultiValueRow }[] = [];
  const unmatched: MultiValueRow[] = [];
  for (const row of wanted) {
    const key = `${row.property}/${row.identifier}`;
    const match = row.identifier === undefined ? undefined : unclaimed.get(key);
    if (match) {
      unclaimed.delete(key);
      pairs.push({ stored: match, wanted: keepUnmodeled(match, row) });
    } else unmatched.push(row);
  }
  for (const row of unmatched) {
    const match = [...unclaimed.values()].find(
      (s) => s.property === row.property && sameValue(keepUnmodeled(s, row), s),
    );
    if (match) {
      unclaimed.delete(`${match.property}/${match.identifier}`);
      pairs.push({ stored: match, wanted: keepUnmodeled(match, row) });
    } else {
      const used = [...stored, ...plan.insert]
        .filter((s) => s.property === row.property)
        .map((s) => s.identifier);
      plan.insert.push({ ...row, identifier: Math.max(-1, ...used) + 1 });
    }
  }
  for (const pair of pairs) if (!sameRow(pair.stored, pair.wanted)) plan.update.push(pair);
  plan.remove = [...unclaimed.values()];
  return plan;
}

export const isEmptyPlan = (plan: MultiValuePlan) =>
  plan.insert.length === 0 && plan.update.length === 0 && plan.remove.length === 0;

const KEYPAD: Record<string, string> = Object.fromEntries(
  ["abc", "def", "ghi", "jkl", "mno", "pqrs", "tuv", "wxyz"].flatMap((letters, i) =>
    [...letters].map((l) => [l, String(i + 2)]),
  ),
);

/** ABPhoneLastFour.value: the last four dialled digits, letters as on the keypad (1-800-MY-APPLE: 7753). */
export function phoneLastFour(phone: string): string {
  const digits = [...phone.toLowerCase()].map((c) => (/\d/.test(c) ? c : (KEYPAD[c] ?? ""))).join("");
  return digits.slice(-4);
}

function writeDetails(db: Database.Database, uid: number, row: MultiValueRow): void {
  statement(db, "DELETE FROM ABMultiValueEntry WHERE parent_id = ?").run(uid);
  const insertEntry = statement(db, "INSERT INTO ABMultiValueEntry(parent_id, key, value) VALUES (?, ?, ?)");
  for (const [key, value] of Object.entries(row.entries))
    insertEntry.run(uid, internValue(db, "ABMultiValueEntryKey", key), value);
  if (row.property === Property.phone)
    statement(db, "INSERT OR REPLACE INTO ABPhoneLastFour(multivalue_id, value) VALUES (?, ?)").run(
      uid,
      phoneLastFour(row.value ?? ""),
    );
}

const labelId = (db: Database.Database, label: string | null) =>
  label === null || label === "" ? null : internValue(db, "ABMultiValueLabel", label);

export function applyMultiValues(
  db: Database.Database,
  person: { rowid: number; guid: string },
  plan: MultiValuePlan,
  sequence: number | undefined,
): void {
  for (const row of plan.remove) {
    // The delete_phone_last_four trigger clears ABPhoneLastFour; entries have no trigger.
    statement(db, "DELETE FROM ABMultiValueEntry WHERE parent_id = ?").run(row.uid);
    statement(db, "DELETE FROM ABMultiValue WHERE UID = ?").run(row.uid);
    if (sequence !== undefined) recordMultiValueDelete(db, person, row, sequence);
  }
  for (const { stored, wanted } of plan.update) {
    statement(db, "UPDATE ABMultiValue SET label = ?, value = ? WHERE UID = ?").run(
      labelId(db, wanted.label),
      wanted.value,
      stored.uid,
    );
    writeDetails(db, stored.uid, wanted);
  }
  const insert = statement(
    db,
    "INSERT INTO ABMultiValue(record_id, property, identifier, label, value) VALUES (?, ?, ?, ?, ?)",
  );
  for (const row of plan.insert) {
    const uid = Number(
      insert.run(person.rowid, row.property, row.identifier, labelId(db, row.label), row.value)
        .lastInsertRowid,
    );
    writeDetails(db, uid, row);
  }
}
