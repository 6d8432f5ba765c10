import type { Listed, ReadResult, WriteBatch, WriteOutcome } from "../../../core/endpoint.js";
import type { Fields } from "../../../core/fields.js";
import { fromCoreDataSeconds } from "../../contacts/ios/schema.js";
import { IosStoreEndpoint } from "../../shared/ios-store-endpoint.js";
import { fieldsToObject } from "../fields.js";
import { objectToRecord } from "../ios/from-ical.js";
import { listEvents, readEvents } from "../ios/read.js";
import { openCalendarDb } from "../ios/schema.js";
import { recordToObject } from "../ios/to-ical.js";
import { CalendarWriter } from "../ios/write.js";
import { calendarItem, nowStamp } from "../item.js";

/**
 * `ios:DIR` for calendars: the Calendar.sqlitedb of an iOS home tree. Native ids are the masters'
 * CalendarItem ROWIDs; a token changes with the master's last_modified and sequence_num and with
 * its detached occurrences. One write() is one save in the change log. Calendar.sqlitedb has no
 * column for X- properties, CATEGORIES, ATTACH, RDATE... (ios/from-ical.ts).
 */
export class CalendarsIosEndpoint extends IosStoreEndpoint {
  constructor(dir: string) {
    super(dir, "calendars", "Library/Calendar/Calendar.sqlitedb", "CalendarItem", openCalendarDb);
  }

  async list(): Promise<Listed[]> {
    return this.withDb(true, (db) => listEvents(db));
  }

  async read(ids: string[]): Promise<Map<string, ReadResult>> {
    return this.withDb(true, (db) => {
      const out = new Map<string, ReadResult>();
      for (const stored of readEvents(db, ids.map(Number))) {
        const id = String(stored.rowid);
        try {
          const object = recordToObject(stored.record, { dtstamp: nowStamp(), sequence: stored.sequence });
          out.set(id, {
            ok: true,
            item: { ...calendarItem(object), modified: fromCoreDataSeconds(stored.modified).getTime() },
          });
        } catch (error) {
          out.set(id, { ok: false, error: { where: this.where(id), message: (error as Error).message } });
        }
      }
      for (const id of ids) if (!out.has(id)) out.set(id, this.vanished(id));
      return out;
    });
  }

  async write(batch: WriteBatch): Promise<WriteOutcome[]> {
    const record = (fields: Fields, uid: string) =>
      objectToRecord(fieldsToObject(fields, uid, { dtstamp: nowStamp(), sequence: 0 }));
    return this.writeAll(batch, (db) => {
      const writer = new CalendarWriter(db);
      return {
        remove: (rowid) => {
          writer.write(null, rowid);
        },
        update: (rowid, uid, fields) => writer.write(record(fields, uid), rowid).rowid,
        create: (uid, fields) => writer.write(record(fields, uid)).rowid,
        token: (rowid) => listEvents(db, rowid)[0]?.token ?? "",
      };
    });
  }
}
