/**
 * Writes Calendar.sqlitedb from the iOS schema (schemas/calendar.sql) with the store and
 * calendars a device has before its first event, then fills it through the same CalendarWriter
 * the ios: endpoint uses, so the rows are exactly those a sync would write.
 */
import Database from "better-sqlite3";
import type { EventRecord } from "../../adapters/calendars/ios/record.js";
import { openCalendarDb } from "../../adapters/calendars/ios/schema.js";
import { CalendarWriter } from "../../adapters/calendars/ios/write.js";
import type { Random } from "./random.js";
import { readSchemaResource } from "./resources.js";

/** A save by the Calendar app rather than by a sync client (the identifier is inferred, not observed). */
const CALENDAR_APP_CLIENT = "com.apple.mobilecal";

/** The local store (Store.type 0, "Default" in the LAVA database) and its calendars. */
const LOCAL_STORE = 1;
const CALENDARS = [
  { rowid: 1, title: "Home", color: "#1BADF8" },
  { rowid: 2, title: "Work", color: "#CC73E1" },
];
/** Event and task calendars (EKEntityMask event|reminder); inferred, not observed. */
const EVENTS_AND_TASKS = 3;

export interface CalendarDbOptions {
  events: EventRecord[];
  random: Random;
  /** The first save's time; each event is saved a minute after the previous one. */
  createdAt: Date;
}

export function writeCalendarDb(path: string, options: CalendarDbOptions): void {
  const newUuid = () => options.random.uuid();
  createEmpty(path, newUuid);
  const db = openCalendarDb(path);
  try {
    let saved = 0;
    const writer = new CalendarWriter(db, {
      clientId: CALENDAR_APP_CLIENT,
      newUuid,
      now: () => new Date(options.createdAt.getTime() + saved * 60_000),
    });
    db.transaction(() => {
      for (const event of options.events) {
        writer.write(event);
        saved++;
      }
    })();
  } finally {
    db.close();
  }
}

function createEmpty(path: string, newUuid: () => string): void {
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    db.exec(readSchemaResource("calendar.sql"));
    db.transaction(() => {
      const setProperty = db.prepare("INSERT INTO _SqliteDatabaseProperties (key, value) VALUES (?, ?)");
      setProperty.run("_UniqueIdentifier", newUuid());
      setProperty.run("DefaultCalendarID", String(CALENDARS[0]?.rowid));
      db.prepare(
        "INSERT INTO Store (ROWID, name, default_alarm_offset, type, disabled, flags) VALUES (?, 'Default', 0, 0, 0, 0)",
      ).run(LOCAL_STORE);
      const calendar = db.prepare(
        `INSERT INTO Calendar (ROWID, store_id, title, flags, color, color_is_display, type, supported_entity_types,
           display_order, UUID, sharing_status) VALUES (?, ?, ?, 0, ?, 1, 'local', ?, ?, ?, 0)`,
      );
      for (const [i, c] of CALENDARS.entries())
        calendar.run(c.rowid, LOCAL_STORE, c.title, c.color, EVENTS_AND_TASKS, i, newUuid());
    })();
  } finally {
    db.close();
  }
}
