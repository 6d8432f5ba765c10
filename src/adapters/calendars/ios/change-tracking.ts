/**
 * The change log other iOS processes (calaccessd, the CalDAV daemon) read after a save:
 * - ClientSequence(client_identifier, sequence_number): one row per save, as the AddressBook keeps
 *   it (the Calendar table has no save_timestamp column);
 * - CalendarItemChanges: one row per saved item, type 0 insert, 1 update, 2 delete (the
 *   AddressBook's ABPersonChanges order; not observed in a Calendar database), carrying the ids a
 *   CalDAV daemon needs to push the change or remove a deleted item from its server.
 * The sequence number continues from the highest either table holds.
 */
import type Database from "better-sqlite3";

export const CalendarItemChange = { insert: 0, update: 1, delete: 2 } as const;
export type CalendarItemChangeType = (typeof CalendarItemChange)[keyof typeof CalendarItemChange];

export function beginCalendarSave(db: Database.Database, clientId: string): number {
  const last = db
    .prepare(
      "SELECT MAX(IFNULL((SELECT MAX(sequence_number) FROM ClientSequence), 0), IFNULL((SELECT MAX(sequence_number) FROM CalendarItemChanges), 0))",
    )
    .pluck()
    .get() as number;
  const sequence = last + 1;
  db.prepare("INSERT INTO ClientSequence(client_identifier, sequence_number) VALUES (?, ?)").run(
    clientId,
    sequence,
  );
  return sequence;
}

/** One CalendarItemChanges row; binds (type, sequence_number, ROWID), before a delete runs. */
export const RECORD_ITEM_CHANGE = `INSERT INTO CalendarItemChanges(record, type, sequence_number, calendar_id, external_id,
    unique_identifier, UUID, entity_type, store_id, has_dirty_instance_attributes)
  SELECT ci.ROWID, ?, ?, ci.calendar_id, ci.external_id, ci.unique_identifier, ci.UUID, ci.entity_type, c.store_id, 0
  FROM CalendarItem ci LEFT JOIN Calendar c ON c.ROWID = ci.calendar_id WHERE ci.ROWID = ?`;
