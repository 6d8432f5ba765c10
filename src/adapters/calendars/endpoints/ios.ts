import { existsSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import type {
  Endpoint,
  GuardVerdict,
  Listed,
  ReadResult,
  WriteBatch,
  WriteOutcome,
} from "../../../core/endpoint.js";
import type { Fields } from "../../../core/fields.js";
import { cloudGuard } from "../../../guard/guard.js";
import { fromCoreDataSeconds } from "../../contacts/ios/schema.js";
import { fieldsToObject } from "../fields.js";
import { objectToRecord } from "../ios/from-ical.js";
import { listEvents, readEvents } from "../ios/read.js";
import { openCalendarDb } from "../ios/schema.js";
import { recordToObject } from "../ios/to-ical.js";
import { CalendarWriter } from "../ios/write.js";
import { calendarItem, nowStamp } from "../item.js";

/**
 * `ios:DIR` for calendars: the Calendar.sqlitedb of an iOS home tree laid out like /var/mobile.
 * Native ids are the masters' CalendarItem ROWIDs; a token changes with the master's
 * last_modified and sequence_num and with its detached occurrences. Before any write the iCloud
 * guard reads Accounts3.sqlite: when iCloud syncs Calendars, cable sync must not touch them.
 * One write() is one transaction, and one save in the change log.
 */
export class CalendarsIosEndpoint implements Endpoint {
  readonly domain = "calendars";
  readonly readOnly = false;
  /** Calendar.sqlitedb has no column for X- properties, CATEGORIES, ATTACH, RDATE... (from-ical.ts). */
  readonly lossy = true;
  readonly uri: string;
  private readonly calendar: string;
  private readonly accounts: string;

  constructor(private readonly dir: string) {
    this.uri = `ios:${dir}`;
    this.calendar = join(dir, "Library", "Calendar", "Calendar.sqlitedb");
    this.accounts = join(dir, "Library", "Accounts", "Accounts3.sqlite");
  }

  async guard(): Promise<GuardVerdict> {
    if (!existsSync(this.accounts)) return { enabled: true };
    return cloudGuard(this.accounts, "calendars", `the device at ${this.dir}`);
  }

  async list(): Promise<Listed[]> {
    return this.withDb(true, (db) => listEvents(db));
  }

  async read(ids: string[]): Promise<Map<string, ReadResult>> {
    return this.withDb(true, (db) => {
      const out = new Map<string, ReadResult>();
      for (const stored of readEvents(db, ids.map(Number))) {
        const id = String(stored.rowid);
        const where = `${this.calendar}#CalendarItem/${id}`;
        try {
          const object = recordToObject(stored.record, {
            dtstamp: nowStamp(),
            sequence: stored.sequence,
          });
          out.set(id, {
            ok: true,
            item: { ...calendarItem(object), modified: fromCoreDataSeconds(stored.modified).getTime() },
          });
        } catch (error) {
          out.set(id, { ok: false, error: { where, message: (error as Error).message } });
        }
      }
      for (const id of ids)
        if (!out.has(id))
          out.set(id, {
            ok: false,
            error: { where: `${this.calendar}#CalendarItem/${id}`, message: "vanished while syncing" },
          });
      return out;
    });
  }

  async write(batch: WriteBatch): Promise<WriteOutcome[]> {
    return this.withDb(false, (db) =>
      db.transaction(() => {
        const writer = new CalendarWriter(db);
        const token = (rowid: number) => listEvents(db, rowid)[0]?.token ?? "";
        const record = (fields: Fields, uid: string) =>
          objectToRecord(fieldsToObject(fields, uid, { dtstamp: nowStamp(), sequence: 0 }));
        const outcomes: WriteOutcome[] = [];
        const attempt = (fail: (message: string) => WriteOutcome, run: () => WriteOutcome) => {
          try {
            outcomes.push(run());
          } catch (error) {
            outcomes.push(fail(`${this.calendar}: ${(error as Error).message}`));
          }
        };
        for (const id of batch.delete)
          attempt(
            (error) => ({ kind: "delete", id, ok: false, error }),
            () => {
              writer.write(null, Number(id));
              return { kind: "delete", id, ok: true };
            },
          );
        for (const u of batch.update)
          attempt(
            (error) => ({ kind: "update", id: u.id, uid: u.uid, ok: false, error }),
            () => {
              const { rowid } = writer.write(record(u.fields, u.uid), Number(u.id));
              return { kind: "update", uid: u.uid, ok: true, id: String(rowid), token: token(rowid) };
            },
          );
        for (const c of batch.create)
          attempt(
            (error) => ({ kind: "create", uid: c.uid, ok: false, error }),
            () => {
              const { rowid } = writer.write(record(c.fields, c.uid));
              return { kind: "create", uid: c.uid, ok: true, id: String(rowid), token: token(rowid) };
            },
          );
        return outcomes;
      })(),
    );
  }

  /** Opens the database (with the WAL beside it) for one operation and always closes it. */
  private withDb<T>(readonly: boolean, use: (db: Database.Database) => T): T {
    const db = openCalendarDb(this.calendar, { readonly });
    try {
      return use(db);
    } finally {
      db.close();
    }
  }
}
