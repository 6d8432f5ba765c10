/**
 * Writing events into Calendar.sqlitedb: a master CalendarItem with its Location, Recurrence,
 * ExceptionDate, Alarm and Participant/Identity rows, and one CalendarItem per detached
 * occurrence (orig_item_id = the master's ROWID, orig_date = the start it had in the series).
 *
 * - An event whose stored record already equals the wanted one writes nothing.
 * - An update keeps the master's ROWID, bumps sequence_num and sets last_modified; its dependent
 *   rows and detached occurrences are replaced. The schema's triggers remove an item's dependent
 *   rows and OccurrenceCache entries when the item is deleted.
 * - Not maintained: OccurrenceCache/OccurrenceCacheDays (the expanded instances the Calendar app
 *   shows), which a device rebuilds (unverified, see docs/design.md), and the per-table change
 *   logs other than CalendarItemChanges.
 */
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { canonicalJson } from "../../../core/fields.js";
import { toCoreDataSeconds } from "../../contacts/ios/schema.js";
import { statement } from "../../shared/statements.js";
import {
  beginCalendarSave,
  CalendarItemChange,
  type CalendarItemChangeType,
  RECORD_ITEM_CHANGE,
} from "./change-tracking.js";
import { ParticipantEntity } from "./participants.js";
import { EVENT_ENTITY, readEvents } from "./read.js";
import type { EventBody, EventRecord, ParticipantRecord } from "./record.js";

export const CRADLE_CLIENT_ID = "org.cradle.sync";

export interface CalendarWriteOptions {
  /** The save time (tests and the virtual iPhone fix it). */
  now?: () => Date;
  clientId?: string;
  /** New UUID values (upper-case, as Apple writes them). */
  newUuid?: () => string;
}

export interface EventWriteResult {
  rowid: number;
  changed: boolean;
}

/** Writes events for one save: the change-log sequence number is taken once, at the first change. */
export class CalendarWriter {
  private sequence: number | undefined;
  private readonly uuid: () => string;

  constructor(
    private readonly db: Database.Database,
    private readonly options: CalendarWriteOptions = {},
  ) {
    this.uuid = options.newUuid ?? (() => randomUUID().toUpperCase());
  }

  /** Creates (no rowid), updates (record and rowid) or deletes (null and rowid) one event. */
  write(record: EventRecord | null, rowid?: number): EventWriteResult {
    return this.db.transaction((): EventWriteResult => {
      if (rowid === undefined) {
        if (record === null) throw new Error("nothing to delete without a ROWID");
        return { rowid: this.create(record), changed: true };
      }
      const stored = readEvents(this.db, [rowid])[0];
      if (!stored) throw new Error(`no event with ROWID ${rowid} in ${this.db.name}`);
      if (record === null) {
        this.deleteItem(rowid);
        return { rowid, changed: true };
      }
      if (canonicalJson(stored.record) === canonicalJson(record)) return { rowid, changed: false };
      this.update(rowid, record);
      return { rowid, changed: true };
    })();
  }

  /** Prepared once per connection: a device sync may write thousands of events. */
  private sql(text: string): Database.Statement {
    return statement(this.db, text);
  }

  private now(): number {
    return Math.round(toCoreDataSeconds(this.options.now?.() ?? new Date()));
  }

  private log(type: CalendarItemChangeType, rowid: number): void {
    this.sequence ??= beginCalendarSave(this.db, this.options.clientId ?? CRADLE_CLIENT_ID);
    this.sql(RECORD_ITEM_CHANGE).run(type, this.sequence, rowid);
  }

  private defaultCalendar: number | undefined;

  private calendarId(): number {
    this.defaultCalendar ??= this.findDefaultCalendar();
    return this.defaultCalendar;
  }

  /** New events go to DefaultCalendarID, else to the first calendar. */
  private findDefaultCalendar(): number {
    const preferred = Number(
      this.sql("SELECT value FROM _SqliteDatabaseProperties WHERE key = 'DefaultCalendarID'").pluck().get(),
    );
    const exists = (id: number) => this.sql("SELECT 1 FROM Calendar WHERE ROWID = ?").get(id) !== undefined;
    if (Number.isInteger(preferred) && exists(preferred)) return preferred;
    const first = this.sql("SELECT MIN(ROWID) FROM Calendar").pluck().get() as number | null;
    if (first === null) throw new Error(`${this.db.name} has no calendar to put new events in`);
    return first;
  }

  private create(record: EventRecord): number {
    const now = this.now();
    const calendarId = this.calendarId();
    const rowid = Number(
      this.sql(
        `INSERT INTO CalendarItem(calendar_id, unique_identifier, UUID, entity_type, orig_item_id, orig_date,
             creation_date, last_modified, sequence_num, hidden, status, availability, privacy_level, invitation_status)
           VALUES (?, ?, ?, ${EVENT_ENTITY}, 0, 0, ?, ?, 0, 0, 0, 0, 0, 0)`,
      ).run(calendarId, record.uid, this.uuid(), now, now).lastInsertRowid,
    );
    this.fill(rowid, record, now);
    this.log(CalendarItemChange.insert, rowid);
    return rowid;
  }

  private update(rowid: number, record: EventRecord): void {
    const now = this.now();
    this.sql("UPDATE CalendarItem SET sequence_num = IFNULL(sequence_num, 0) + 1 WHERE ROWID = ?").run(rowid);
    for (const child of this.detachedOf(rowid)) this.deleteItem(child);
    this.clearDependents(rowid);
    this.fill(rowid, record, now);
    this.log(CalendarItemChange.update, rowid);
  }

  /** Sets the master's columns and dependents, then creates its detached occurrences. */
  private fill(rowid: number, record: EventRecord, now: number): void {
    this.setBody(rowid, record, now);
    const rule = record.recurrence;
    if (rule)
      this.sql(
        `INSERT INTO Recurrence(frequency, interval, week_start, count, end_date, specifier, owner_id, UUID)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        rule.frequency,
        rule.interval,
        rule.weekStart,
        rule.count,
        rule.endDate,
        rule.specifier,
        rowid,
        this.uuid(),
      );
    const exception = this.sql("INSERT INTO ExceptionDate(owner_id, date, sync_order) VALUES (?, ?, ?)");
    for (const [i, date] of record.exceptionDates.entries()) exception.run(rowid, date, i);
    this.sql("UPDATE CalendarItem SET has_recurrences = ? WHERE ROWID = ?").run(rule ? 1 : 0, rowid);
    const master = this.sql(
      "SELECT calendar_id AS calendarId, unique_identifier AS uid FROM CalendarItem WHERE ROWID = ?",
    ).get(rowid) as { calendarId: number; uid: string };
    for (const detached of record.detached) {
      const child = Number(
        this.sql(
          `INSERT INTO CalendarItem(calendar_id, unique_identifier, UUID, entity_type, orig_item_id, orig_date,
               creation_date, last_modified, sequence_num, hidden, status, availability, privacy_level, invitation_status,
               has_recurrences)
             VALUES (?, ?, ?, ${EVENT_ENTITY}, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0)`,
        ).run(master.calendarId, master.uid, this.uuid(), rowid, detached.originalDate, now, now)
          .lastInsertRowid,
      );
      this.setBody(child, detached, now);
      this.log(CalendarItemChange.insert, child);
    }
  }

  private setBody(rowid: number, body: EventBody, now: number): void {
    let locationId: number | null = null;
    if (body.location !== null)
      locationId = Number(
        this.sql("INSERT INTO Location(title, item_owner_id) VALUES (?, ?)").run(body.location, rowid)
          .lastInsertRowid,
      );
    const alarm = this.sql(
      "INSERT INTO Alarm(trigger_date, trigger_interval, type, calendaritem_owner_id, UUID, disabled) VALUES (?, ?, 0, ?, ?, 0)",
    );
    for (const a of body.alarms) alarm.run(a.triggerDate, a.triggerInterval, rowid, this.uuid());
    const organizerId = body.organizer
      ? this.insertParticipant(rowid, ParticipantEntity.organizer, body.organizer)
      : null;
    for (const a of body.attendees) this.insertParticipant(rowid, ParticipantEntity.attendee, a);
    this.sql(
      `UPDATE CalendarItem SET summary = ?, description = ?, url = ?, start_date = ?, start_tz = ?, end_date = ?,
           end_tz = ?, all_day = ?, location_id = ?, organizer_id = ?, has_attendees = ?, last_modified = ?
         WHERE ROWID = ?`,
    ).run(
      body.summary,
      body.description,
      body.url,
      body.start.seconds,
      body.start.tz,
      body.end.seconds,
      body.end.tz,
      body.allDay ? 1 : 0,
      locationId,
      organizerId,
      body.attendees.length > 0 ? 1 : 0,
      now,
      rowid,
    );
  }

  private insertParticipant(owner: number, entity: number, person: ParticipantRecord): number {
    const address = `mailto:${person.email}`;
    const find = () =>
      this.sql(
        "SELECT rowid FROM Identity WHERE display_name IS ? AND address = ? AND first_name IS NULL AND last_name IS NULL",
      )
        .pluck()
        .get(person.name, address) as number | undefined;
    const identity =
      find() ??
      Number(
        this.sql("INSERT INTO Identity(display_name, address) VALUES (?, ?)").run(person.name, address)
          .lastInsertRowid,
      );
    return Number(
      this.sql(
        `INSERT INTO Participant(entity_type, type, status, pending_status, role, identity_id, owner_id, UUID, email, is_self)
           VALUES (?, 0, ?, 0, ?, ?, ?, ?, ?, 0)`,
      ).run(entity, person.status, person.role, identity, owner, this.uuid(), person.email).lastInsertRowid,
    );
  }

  private detachedOf(rowid: number): number[] {
    return this.sql("SELECT ROWID FROM CalendarItem WHERE orig_item_id = ?").pluck().all(rowid) as number[];
  }

  private clearDependents(rowid: number): void {
    for (const sql of [
      "DELETE FROM Location WHERE item_owner_id = ?",
      "DELETE FROM Alarm WHERE calendaritem_owner_id = ?",
      "DELETE FROM Recurrence WHERE owner_id = ?",
      "DELETE FROM Participant WHERE owner_id = ?",
      "DELETE FROM ExceptionDate WHERE owner_id = ?",
      "DELETE FROM OccurrenceCache WHERE event_id = ?",
    ])
      this.sql(sql).run(rowid);
  }

  /** Deletes an item and its detached occurrences; triggers remove their dependent rows. */
  private deleteItem(rowid: number): void {
    for (const child of this.detachedOf(rowid)) this.deleteItem(child);
    this.log(CalendarItemChange.delete, rowid);
    this.sql("DELETE FROM CalendarItem WHERE ROWID = ?").run(rowid);
  }
}
