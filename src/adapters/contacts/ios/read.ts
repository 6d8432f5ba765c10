/**
 * Reading AddressBook.sqlitedb into Contacts: ABPerson, its ABMultiValue rows with their labels
 * (ABMultiValueLabel) and structured parts (ABMultiValueEntry/ABMultiValueEntryKey), and the
 * groups (ABGroup/ABGroupMembers). ABPerson.guid is the contact's UID.
 */
import type Database from "better-sqlite3";
import type { ReadError } from "../../../core/endpoint.js";
import { statement } from "../../shared/statements.js";
import type { Contact } from "../model.js";
import { loadLabels } from "./labels.js";
import { type MultiValueRow, rowToEntry } from "./multivalues.js";
import { columnsToContact, PERSON_COLUMNS, type PersonColumns } from "./person.js";

export interface StoredContact {
  rowid: number;
  /** ABPerson.ModificationDate: Core Data seconds. */
  modified: number;
  contact: Contact;
}

export interface StoredGroup {
  rowid: number;
  uid: string;
  name: string;
  /** ABPerson ROWIDs of the person members (member_type 0). */
  members: number[];
}

export interface AddressBookContents {
  contacts: StoredContact[];
  groups: StoredGroup[];
  errors: ReadError[];
}

/** A multi-value as stored, with the keys a write needs to update or delete it. */
export interface StoredMultiValue extends MultiValueRow {
  identifier: number;
  uid: number;
  guid: string;
}

export interface PersonRecord {
  rowid: number;
  guid: string;
  modified: number;
  columns: PersonColumns;
  multiValues: StoredMultiValue[];
}

const PERSON_SELECT = `SELECT ROWID AS rowid, guid, ModificationDate AS modified, ${PERSON_COLUMNS.join(", ")} FROM ABPerson`;
const MULTIVALUE_SELECT = `SELECT UID AS uid, record_id AS record, property, identifier, label, value, guid
  FROM ABMultiValue`;
const ENTRY_SELECT = `SELECT e.parent_id AS parent, k.value AS key, e.value AS value
  FROM ABMultiValueEntry e JOIN ABMultiValueEntryKey k ON k.ROWID = e.key`;

type PersonRow = PersonColumns & { rowid: number; guid: string; modified: number | null };
type MultiValueDbRow = {
  uid: number;
  record: number;
  property: number;
  identifier: number;
  label: number | null;
  value: string | null;
  guid: string;
};

/** Loads persons (all, or one ROWID) with their multi-values, ordered by property and identifier. */
export function loadPersons(db: Database.Database, rowid?: number): PersonRecord[] {
  const where = rowid === undefined ? "" : " WHERE ROWID = ?";
  const mvWhere = rowid === undefined ? "" : " WHERE record_id = ?";
  const args = rowid === undefined ? [] : [rowid];
  const persons = statement(db, `${PERSON_SELECT}${where} ORDER BY ROWID`).all(...args) as PersonRow[];
  const multiValues = statement(
    db,
    `${MULTIVALUE_SELECT}${mvWhere} ORDER BY record_id, property, identifier, UID`,
  ).all(...args) as MultiValueDbRow[];
  const entryWhere =
    rowid === undefined ? "" : " WHERE e.parent_id IN (SELECT UID FROM ABMultiValue WHERE record_id = ?)";
  const entries = statement(db, `${ENTRY_SELECT}${entryWhere}`).all(...args) as {
    parent: number;
    key: string;
    value: string;
  }[];
  const labels = loadLabels(db);

  const entriesByParent = new Map<number, Record<string, string>>();
  for (const e of entries) {
    const map = entriesByParent.get(e.parent) ?? {};
    map[e.key] = e.value;
    entriesByParent.set(e.parent, map);
  }
  const byRecord = new Map<number, StoredMultiValue[]>();
  for (const mv of multiValues) {
    const list = byRecord.get(mv.record) ?? [];
    list.push({
      uid: mv.uid,
      guid: mv.guid,
      property: mv.property,
      identifier: mv.identifier,
      label: mv.label === null ? null : (labels.get(mv.label) ?? null),
      value: mv.value,
      entries: entriesByParent.get(mv.uid) ?? {},
    });
    byRecord.set(mv.record, list);
  }
  return persons.map(({ rowid, guid, modified, ...columns }) => ({
    rowid,
    guid,
    modified: modified ?? 0,
    columns,
    multiValues: byRecord.get(rowid) ?? [],
  }));
}

/** The Contact a stored person reads as, and a message for any value that could not be mapped. */
export function personToContact(person: PersonRecord): { contact: Contact; problems: string[] } {
  const { contact, error } = columnsToContact(person.columns, person.guid);
  const problems = error === undefined ? [] : [error];
  for (const row of person.multiValues) {
    const entry = rowToEntry(row);
    if (entry) contact.entries.push(entry);
    else
      problems.push(`ABMultiValue ${row.uid} (property ${row.property}) has no vCard equivalent; not read`);
  }
  return { contact, problems };
}

export function readGroups(db: Database.Database): StoredGroup[] {
  const groups = statement(
    db,
    "SELECT ROWID AS rowid, guid AS uid, Name AS name FROM ABGroup ORDER BY ROWID",
  ).all() as Omit<StoredGroup, "members">[];
  const members = statement(
    db,
    "SELECT group_id AS groupId, member_id AS memberId FROM ABGroupMembers WHERE member_type = 0 ORDER BY UID",
  ).all() as { groupId: number; memberId: number }[];
  return groups.map((g) => ({
    ...g,
    name: g.name ?? "",
    members: members.filter((m) => m.groupId === g.rowid).map((m) => m.memberId),
  }));
}

/** Every person as a Contact; a row that maps only in part is still read, with a ReadError. */
export function readAddressBook(db: Database.Database, source: string = db.name): AddressBookContents {
  const errors: ReadError[] = [];
  const contacts = loadPersons(db).map((person) => {
    const { contact, problems } = personToContact(person);
    for (const message of problems) errors.push({ where: `${source}#ABPerson/${person.rowid}`, message });
    return { rowid: person.rowid, modified: person.modified, contact };
  });
  return { contacts, groups: readGroups(db), errors };
}
