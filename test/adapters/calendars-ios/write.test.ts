import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readEvents } from "../../../src/adapters/calendars/ios/read.js";
import { openCalendarDb } from "../../../src/adapters/calendars/ios/schema.js";
import { CalendarWriter } from "../../../src/adapters/calendars/ios/write.js";
import { createVirtualDevice } from "../../../src/device/virtual/create.js";
import { devicePath } from "../../../src/device/virtual/layout.js";

/** A virtual iPhone's Calendar.sqlitedb, and the ROWID of its first weekly series (sample kind 1). */
function calendarDb() {
  const phone = join(mkdtempSync(join(tmpdir(), "cradle-cal-write-")), "phone");
  createVirtualDevice(phone, { sample: 0, events: 6, seed: "calendar-write" });
  const path = devicePath(phone, "calendar");
  const db = openCalendarDb(path);
  const series = db
    .prepare("SELECT ROWID FROM CalendarItem WHERE has_recurrences = 1 AND summary = 'Team stand-up'")
    .pluck()
    .get() as number;
  return { path, db, series };
}

const bytes = (path: string) =>
  createHash("sha256")
    .update(readFileSync(path))
    .update(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : "")
    .digest("hex");
const count = (db: ReturnType<typeof calendarDb>["db"], sql: string, ...args: unknown[]) =>
  db
    .prepare(sql)
    .pluck()
    .get(...args) as number;

describe("CalendarWriter", () => {
  it("writes nothing when the stored rows already match, and one logged update when they do not", () => {
    const { path, db, series } = calendarDb();
    const stored = readEvents(db, [series])[0];
    if (!stored) throw new Error("no series");
    const writer = new CalendarWriter(db, { now: () => new Date("2027-01-01T00:00:00Z") });
    db.pragma("wal_checkpoint(TRUNCATE)");
    const before = bytes(path);
    expect(writer.write(structuredClone(stored.record), series)).toEqual({ rowid: series, changed: false });
    expect(bytes(path)).toBe(before);
    expect(count(db, "SELECT count(*) FROM CalendarItemChanges WHERE record = ? AND type = 1", series)).toBe(
      0,
    );

    const edited = { ...structuredClone(stored.record), summary: "Stand-up (new time)" };
    expect(writer.write(edited, series)).toEqual({ rowid: series, changed: true });
    const row = db
      .prepare("SELECT sequence_num, last_modified FROM CalendarItem WHERE ROWID = ?")
      .get(series);
    expect(row).toEqual({
      sequence_num: stored.sequence + 1,
      last_modified: Date.parse("2027-01-01T00:00:00Z") / 1000 - 978307200,
    });
    expect(count(db, "SELECT count(*) FROM CalendarItemChanges WHERE record = ? AND type = 1", series)).toBe(
      1,
    );
    expect(readEvents(db, [series])[0]?.record).toEqual(edited);
    db.close();
  });

  it("deletes a series with its detached occurrences and every dependent row", () => {
    const { db, series } = calendarDb();
    const children = db
      .prepare("SELECT ROWID FROM CalendarItem WHERE orig_item_id = ?")
      .pluck()
      .all(series) as number[];
    expect(children).toHaveLength(1);
    const owned = (id: number) =>
      count(db, "SELECT count(*) FROM Recurrence WHERE owner_id = ?", id) +
      count(db, "SELECT count(*) FROM ExceptionDate WHERE owner_id = ?", id) +
      count(db, "SELECT count(*) FROM Alarm WHERE calendaritem_owner_id = ?", id);
    expect(owned(series)).toBe(3);
    new CalendarWriter(db).write(null, series);
    expect(count(db, "SELECT count(*) FROM CalendarItem WHERE ROWID IN (?, ?)", series, children[0])).toBe(0);
    expect(owned(series) + owned(children[0] as number)).toBe(0);
    const deletes = db
      .prepare("SELECT record FROM CalendarItemChanges WHERE type = 2 ORDER BY ROWID")
      .pluck()
      .all();
    expect(deletes).toEqual([children[0], series]);
    expect(() => new CalendarWriter(db).write(null, series)).toThrow(/no event with ROWID/);
    db.close();
  });
});
