/**
 * Reading events out of Calendar.sqlitedb: CalendarItem rows of entity_type 2 (events; reminders
 * share the table), with their Location, Recurrence, ExceptionDate, Alarm and Participant/Identity
 * rows. A row with orig_item_id > 0 is a detached occurrence of that master.
 */
import type Database from "better-sqlite3";
import { statement } from "../../shared/statements.js";
import { ParticipantEntity } from "./participants.js";
import type {
  AlarmRecord,
  DetachedRecord,
  EventBody,
  EventRecord,
  ParticipantRecord,
  RecurrenceRecord,
} from "./record.js";

export const EVENT_ENTITY = 2;

export interface StoredEvent {
  rowid: number;
  /** CalendarItem.last_modified of the master (Core Data seconds). */
  modified: number;
  sequence: number;
  record: EventRecord;
}

interface ItemRow {
  rowid: number;
  summary: string | null;
  description: string | null;
  url: string | null;
  start_date: number | null;
  start_tz: string | null;
  end_date: number | null;
  end_tz: string | null;
  all_day: number | null;
  unique_identifier: string | null;
  UUID: string | null;
  orig_item_id: number | null;
  orig_date: number | null;
  organizer_id: number | null;
  last_modified: number | null;
  sequence_num: number | null;
  location: string | null;
}

const IDS = "SELECT value FROM json_each(?)";
/**
 * Masters by ROWID and their detached occurrences by orig_item_id, each through its index
 * ("+" keeps SQLite off the entity_type index, with which it would scan every event).
 */
const ITEMS = `SELECT ci.ROWID AS rowid, ci.summary, ci.description, ci.url, ci.start_date, ci.start_tz, ci.end_date,
  ci.end_tz, ci.all_day, ci.unique_identifier, ci.UUID, ci.orig_item_id, ci.orig_date, ci.organizer_id,
  ci.last_modified, ci.sequence_num, l.title AS location
  FROM CalendarItem ci LEFT JOIN Location l ON l.ROWID = ci.location_id
  WHERE ci.ROWID IN (${IDS} UNION SELECT d.ROWID FROM CalendarItem d WHERE d.orig_item_id IN (${IDS}))
    AND +ci.entity_type = ${EVENT_ENTITY}
  ORDER BY ci.ROWID`;

/**
 * Masters as ids and change tokens (all of them, or one ROWID): the master's last_modified and
 * sequence_num, and each detached occurrence's ROWID and last_modified.
 */
/**
 * Every event master with its change token: its own last_modified and sequence, and each detached
 * occurrence's ROWID and last_modified. One pass over the events (a subquery per master costs
 * three times as much); `rowid` limits it to one master, for the token of a record just written.
 */
export function listEvents(db: Database.Database, rowid?: number): { id: string; token: string }[] {
  const rows = statement(
    db,
    `SELECT ROWID, last_modified, sequence_num, orig_item_id FROM CalendarItem
       WHERE +entity_type = ${EVENT_ENTITY} ${rowid === undefined ? "" : "AND (ROWID = ? OR orig_item_id = ?)"}
       ORDER BY ROWID`,
  )
    .raw()
    .all(...(rowid === undefined ? [] : [rowid, rowid])) as [
    number,
    number | null,
    number | null,
    number | null,
  ][];
  const detached = new Map<number, string[]>();
  for (const [id, modified, , master] of rows) {
    if (master === null || master <= 0) continue;
    const list = detached.get(master) ?? [];
    list.push(`${id}@${modified ?? ""}`);
    detached.set(master, list);
  }
  const listed: { id: string; token: string }[] = [];
  for (const [id, modified, sequence, master] of rows) {
    if (master !== null && master > 0) continue;
    const occurrences = detached.get(id);
    listed.push({
      id: String(id),
      token: `${modified ?? 0}/${sequence ?? 0}${occurrences ? `/${occurrences.join(",")}` : ""}`,
    });
  }
  return listed;
}

function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(key(row)) ?? [];
    list.push(row);
    map.set(key(row), list);
  }
  return map;
}

/** Loads the masters with these ROWIDs (detached occurrences are read with their master). */
export function readEvents(db: Database.Database, rowids: number[]): StoredEvent[] {
  const ids = JSON.stringify(rowids);
  const items = statement(db, ITEMS).all(ids, ids) as ItemRow[];
  const owners = JSON.stringify(items.map((i) => i.rowid));
  const recurrences = groupBy(
    statement(
      db,
      `SELECT owner_id AS owner, frequency, interval, count, end_date AS endDate, specifier, week_start AS weekStart
         FROM Recurrence WHERE owner_id IN (${IDS}) ORDER BY ROWID`,
    ).all(owners) as (RecurrenceRecord & { owner: number })[],
    (r) => r.owner,
  );
  const exceptions = groupBy(
    statement(
      db,
      `SELECT owner_id AS owner, date FROM ExceptionDate WHERE owner_id IN (${IDS}) ORDER BY date`,
    ).all(owners) as {
      owner: number;
      date: number;
    }[],
    (r) => r.owner,
  );
  const alarms = groupBy(
    statement(
      db,
      `SELECT calendaritem_owner_id AS owner, trigger_interval AS triggerInterval, trigger_date AS triggerDate
         FROM Alarm WHERE calendaritem_owner_id IN (${IDS}) ORDER BY ROWID`,
    ).all(owners) as (AlarmRecord & { owner: number })[],
    (r) => r.owner,
  );
  const people = groupBy(
    statement(
      db,
      `SELECT p.ROWID AS rowid, p.owner_id AS owner, p.entity_type AS entity, p.email, i.display_name AS name,
           i.address, p.status, p.role
         FROM Participant p LEFT JOIN Identity i ON i.rowid = p.identity_id
         WHERE p.owner_id IN (${IDS}) ORDER BY p.ROWID`,
    ).all(owners) as {
      rowid: number;
      owner: number;
      entity: number;
      email: string | null;
      name: string | null;
      address: string | null;
      status: number | null;
      role: number | null;
    }[],
    (r) => r.owner,
  );

  const body = (item: ItemRow): EventBody => {
    const persons = people.get(item.rowid) ?? [];
    const person = (p: (typeof persons)[number]): ParticipantRecord => ({
      email: p.email ?? (p.address ?? "").replace(/^mailto:/i, ""),
      name: p.name,
      status: p.status ?? 0,
      role: p.role ?? 0,
    });
    const organizer = persons.find((p) => p.entity === ParticipantEntity.organizer);
    return {
      summary: item.summary,
      description: item.description,
      url: item.url,
      location: item.location,
      allDay: item.all_day === 1,
      start: { seconds: item.start_date ?? 0, tz: item.start_tz ?? "_float" },
      end: { seconds: item.end_date ?? item.start_date ?? 0, tz: item.end_tz ?? item.start_tz ?? "_float" },
      alarms: (alarms.get(item.rowid) ?? []).map(({ triggerInterval, triggerDate }) => ({
        triggerInterval,
        triggerDate,
      })),
      organizer: organizer ? person(organizer) : null,
      attendees: persons.filter((p) => p.entity === ParticipantEntity.attendee).map(person),
    };
  };

  const detachedBy = groupBy(
    items.filter((i) => (i.orig_item_id ?? 0) > 0),
    (i) => i.orig_item_id ?? 0,
  );
  return items
    .filter((i) => !((i.orig_item_id ?? 0) > 0))
    .map((item) => {
      const rule = recurrences.get(item.rowid)?.[0];
      const detached: DetachedRecord[] = (detachedBy.get(item.rowid) ?? [])
        .map((d) => ({ ...body(d), originalDate: d.orig_date ?? 0 }))
        .sort((a, b) => a.originalDate - b.originalDate);
      return {
        rowid: item.rowid,
        modified: item.last_modified ?? 0,
        sequence: item.sequence_num ?? 0,
        record: {
          uid: item.unique_identifier ?? item.UUID ?? `cradle-calendaritem-${item.rowid}`,
          ...body(item),
          recurrence: rule
            ? {
                frequency: rule.frequency,
                interval: rule.interval ?? 1,
                count: rule.count ?? 0,
                endDate: rule.endDate ? rule.endDate : null, // 0 means open-ended in older rows
                specifier: rule.specifier ?? "",
                weekStart: rule.weekStart ?? 0,
              }
            : null,
          exceptionDates: (exceptions.get(item.rowid) ?? []).map((e) => e.date),
          detached,
        },
      };
    });
}
