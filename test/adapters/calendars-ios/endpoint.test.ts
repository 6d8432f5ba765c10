import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { showEndpoint } from "../../../src/api/show.js";
import { syncEndpoints } from "../../../src/api/sync.js";
import { createVirtualDevice } from "../../../src/device/virtual/create.js";
import { devicePath } from "../../../src/device/virtual/layout.js";
import { GuardedError } from "../../../src/merge/errors.js";

const EPOCH = 978307200;
const coreData = (iso: string) => Date.parse(iso) / 1000 - EPOCH;

function phoneAndComputer(events = 18, icloud: ("contacts" | "calendars")[] = []) {
  const root = mkdtempSync(join(tmpdir(), "cradle-cal-ios-"));
  const phone = join(root, "phone");
  createVirtualDevice(phone, { sample: 0, events, seed: "calendar-test", icloud });
  const vdir = join(root, "computer");
  const options = {
    domain: "calendars" as const,
    endpoints: [`ios:${phone}`, `vdir:${vdir}`],
    stateFile: join(root, "state.sqlite"),
  };
  return { root, phone, vdir, options, db: devicePath(phone, "calendar") };
}

/** The database with its WAL: a write that only reached the -wal still shows. */
const digest = (path: string) =>
  createHash("sha256")
    .update(readFileSync(path))
    .update(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : "")
    .digest("hex");

const changes = (report: Awaited<ReturnType<typeof syncEndpoints>>) =>
  report.endpoints.map((e) => e.created + e.updated + e.deleted);

function ics(...lines: string[]): string {
  return `${["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...lines, "END:VCALENDAR"].join("\r\n")}\r\n`;
}

const BERLIN_SERIES = ics(
  "BEGIN:VEVENT",
  "UID:series-1@cradle.test",
  "DTSTAMP:20260101T000000Z",
  "DTSTART;TZID=Europe/Berlin:20260105T090000",
  "DTEND;TZID=Europe/Berlin:20260105T100000",
  "RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=MO",
  "EXDATE;TZID=Europe/Berlin:20260112T090000",
  "SUMMARY:Jour fixe",
  "LOCATION:Raum 3",
  "ORGANIZER;CN=Lena Vogel:mailto:lena@example.com",
  "ATTENDEE;CN=Marcus Reed;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:marcus@example.org",
  "BEGIN:VALARM",
  "ACTION:DISPLAY",
  "DESCRIPTION:Reminder",
  "TRIGGER:-PT15M",
  "END:VALARM",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:series-1@cradle.test",
  "DTSTAMP:20260101T000000Z",
  "RECURRENCE-ID;TZID=Europe/Berlin:20260119T090000",
  "DTSTART;TZID=Europe/Berlin:20260119T110000",
  "DTEND;TZID=Europe/Berlin:20260119T120000",
  "SUMMARY:Jour fixe (later)",
  "END:VEVENT",
);
const ALL_DAY = ics(
  "BEGIN:VEVENT",
  "UID:holiday@cradle.test",
  "DTSTAMP:20260101T000000Z",
  "DTSTART;VALUE=DATE:20260501",
  "DTEND;VALUE=DATE:20260503",
  "SUMMARY:Long weekend",
  "END:VEVENT",
);
const FLOATING = ics(
  "BEGIN:VEVENT",
  "UID:yoga@cradle.test",
  "DTSTAMP:20260101T000000Z",
  "DTSTART:20260210T073000",
  "DTEND:20260210T083000",
  "SUMMARY:Yoga",
  "DESCRIPTION:Bring a mat",
  "END:VEVENT",
);

describe("ios: calendars endpoint", () => {
  it("syncs the virtual iPhone's calendar with a vdir, both sides edited, and rests when nothing changed", async () => {
    const { phone, vdir, options, db } = phoneAndComputer();
    const first = await syncEndpoints(options);
    expect(first.skipped).toEqual([]);
    expect(first.endpoints[1]?.created).toBe(18);
    const before = digest(db);
    expect(changes(await syncEndpoints(options))).toEqual([0, 0]);
    expect(digest(db)).toBe(before);

    // The computer edits one event and adds one; the phone edits another and deletes a third.
    const files = readdirSync(vdir).filter((f) => f.endsWith(".ics"));
    const standUp = files.find((f) =>
      readFileSync(join(vdir, f), "utf8").includes("SUMMARY:Team stand-up"),
    ) as string;
    writeFileSync(
      join(vdir, standUp),
      readFileSync(join(vdir, standUp), "utf8").replace(
        "SUMMARY:Team stand-up\r\n",
        "SUMMARY:Daily stand-up\r\n",
      ),
    );
    writeFileSync(join(vdir, "yoga.ics"), FLOATING);
    const device = new Database(db);
    const [edited, removed] = device
      .prepare(
        "SELECT ROWID FROM CalendarItem WHERE orig_item_id = 0 AND has_recurrences = 0 ORDER BY ROWID LIMIT 2",
      )
      .pluck()
      .all() as number[];
    device
      .prepare(
        "UPDATE CalendarItem SET summary = 'Edited on the phone', last_modified = last_modified + 3600 WHERE ROWID = ?",
      )
      .run(edited);
    device.prepare("DELETE FROM CalendarItem WHERE ROWID = ?").run(removed);
    device.close();

    const both = await syncEndpoints(options);
    expect(both.skipped).toEqual([]);
    expect(both.endpoints[0]).toMatchObject({ created: 1, updated: 1, deleted: 0, failed: 0 });
    expect(both.endpoints[1]).toMatchObject({ created: 0, updated: 1, deleted: 1, failed: 0 });
    expect(changes(await syncEndpoints(options))).toEqual([0, 0]);

    const onPhone = await showEndpoint("calendars", `ios:${phone}`);
    const onComputer = await showEndpoint("calendars", `vdir:${vdir}`);
    const summaries = (items: typeof onPhone.items) => items.map((i) => `${i.uid} ${i.label}`).sort();
    expect(summaries(onPhone.items)).toEqual(summaries(onComputer.items));
    expect(onPhone.items.map((i) => i.label)).toEqual(
      expect.arrayContaining(["Daily stand-up", "Edited on the phone", "Yoga"]),
    );
    expect(onPhone.items).toHaveLength(18);
  });

  it("writes events as rows shaped like the Calendar app's, read back by plain SQL", async () => {
    const { vdir, options, db } = phoneAndComputer(0);
    mkdirSync(vdir, { recursive: true });
    writeFileSync(join(vdir, "series.ics"), BERLIN_SERIES);
    writeFileSync(join(vdir, "holiday.ics"), ALL_DAY);
    writeFileSync(join(vdir, "yoga.ics"), FLOATING);
    const report = await syncEndpoints(options);
    expect(report.endpoints[0]).toMatchObject({ created: 3, failed: 0 });

    const sql = new Database(db, { readonly: true });
    const item = (uid: string) =>
      sql
        .prepare(
          `SELECT ROWID AS rowid, summary, description, start_date, typeof(start_date) AS start_type, start_tz, end_date,
             end_tz, all_day, calendar_id, entity_type, orig_item_id, orig_date, has_recurrences, has_attendees,
             location_id, organizer_id, sequence_num, UUID FROM CalendarItem WHERE unique_identifier = ? ORDER BY ROWID`,
        )
        .all(uid) as Record<string, unknown>[];
    const [master, moved] = item("series-1@cradle.test");
    expect(master).toMatchObject({
      summary: "Jour fixe",
      start_date: coreData("2026-01-05T08:00:00Z"),
      start_type: "real",
      start_tz: "Europe/Berlin",
      end_date: coreData("2026-01-05T09:00:00Z"),
      end_tz: "Europe/Berlin",
      all_day: 0,
      calendar_id: 1,
      entity_type: 2,
      orig_item_id: 0,
      has_recurrences: 1,
      has_attendees: 1,
    });
    expect(master?.UUID).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(moved).toMatchObject({
      summary: "Jour fixe (later)",
      orig_item_id: master?.rowid,
      orig_date: coreData("2026-01-19T08:00:00Z"),
      start_date: coreData("2026-01-19T10:00:00Z"),
    });
    const owner = master?.rowid;
    expect(
      sql
        .prepare("SELECT frequency, interval, count, end_date, specifier FROM Recurrence WHERE owner_id = ?")
        .all(owner),
    ).toEqual([{ frequency: 2, interval: 1, count: 10, end_date: null, specifier: "D=0MO" }]);
    expect(sql.prepare("SELECT date FROM ExceptionDate WHERE owner_id = ?").pluck().all(owner)).toEqual([
      coreData("2026-01-12T08:00:00Z"),
    ]);
    expect(
      sql
        .prepare("SELECT trigger_interval, trigger_date FROM Alarm WHERE calendaritem_owner_id = ?")
        .all(owner),
    ).toEqual([{ trigger_interval: -900, trigger_date: null }]);
    expect(
      sql
        .prepare("SELECT ROWID AS rowid, title, item_owner_id FROM Location WHERE item_owner_id = ?")
        .get(owner),
    ).toEqual({
      rowid: master?.location_id,
      title: "Raum 3",
      item_owner_id: owner,
    });
    expect(
      sql
        .prepare(
          `SELECT p.ROWID AS rowid, p.entity_type, p.status, p.role, p.email, i.display_name, i.address FROM Participant p
           JOIN Identity i ON i.rowid = p.identity_id WHERE p.owner_id = ? ORDER BY p.ROWID`,
        )
        .all(owner),
    ).toEqual([
      {
        rowid: master?.organizer_id,
        entity_type: 8,
        status: 0,
        role: 0,
        email: "lena@example.com",
        display_name: "Lena Vogel",
        address: "mailto:lena@example.com",
      },
      {
        rowid: expect.any(Number),
        entity_type: 7,
        status: 1,
        role: 1,
        email: "marcus@example.org",
        display_name: "Marcus Reed",
        address: "mailto:marcus@example.org",
      },
    ]);
    expect(item("holiday@cradle.test")[0]).toMatchObject({
      all_day: 1,
      start_tz: "_float",
      start_date: coreData("2026-05-01T00:00:00Z"),
      end_date: coreData("2026-05-03T00:00:00Z") - 1,
    });
    expect(item("yoga@cradle.test")[0]).toMatchObject({
      all_day: 0,
      start_tz: "_float",
      start_date: coreData("2026-02-10T07:30:00Z"),
      description: "Bring a mat",
    });
    // One save in the change log: every written item, as inserts, under Cradle's client id.
    const saved = sql
      .prepare("SELECT record, type, sequence_number FROM CalendarItemChanges ORDER BY ROWID")
      .all() as {
      type: number;
      sequence_number: number;
    }[];
    expect(saved).toHaveLength(4);
    expect(new Set(saved.map((s) => `${s.type}/${s.sequence_number}`)).size).toBe(1);
    expect(
      sql
        .prepare("SELECT client_identifier FROM ClientSequence WHERE sequence_number = ?")
        .pluck()
        .get(saved[0]?.sequence_number),
    ).toBe("org.cradle.sync");
    sql.close();
  });

  it("gives back all-day, floating and recurring events as they came", async () => {
    const { root, phone, vdir, options } = phoneAndComputer(0);
    mkdirSync(vdir, { recursive: true });
    writeFileSync(join(vdir, "series.ics"), BERLIN_SERIES);
    writeFileSync(join(vdir, "holiday.ics"), ALL_DAY);
    writeFileSync(join(vdir, "yoga.ics"), FLOATING);
    await syncEndpoints(options);
    const copy = join(root, "copy");
    await syncEndpoints({
      domain: "calendars",
      endpoints: [`ios:${phone}`, `vdir:${copy}`],
      stateFile: join(root, "copy.sqlite"),
    });
    // The event properties Calendar.sqlitedb holds, unfolded, outside the VTIMEZONEs.
    const lines = (text: string) =>
      (text.replace(/\r\n /g, "").match(/BEGIN:VEVENT[\s\S]*?END:VEVENT/g) ?? [])
        .flatMap((event) => event.split("\r\n"))
        .filter((l) =>
          /^(DTSTART|DTEND|RRULE|EXDATE|RECURRENCE-ID|SUMMARY|LOCATION|ORGANIZER|ATTENDEE|TRIGGER|DESCRIPTION:B)/.test(
            l,
          ),
        )
        .sort();
    for (const name of ["series.ics", "holiday.ics", "yoga.ics"]) {
      const original = readFileSync(join(vdir, name), "utf8");
      const uid = /UID:(.*)\r\n/.exec(original)?.[1] as string;
      const back = readdirSync(copy).find((f) =>
        readFileSync(join(copy, f), "utf8").includes(`UID:${uid}`),
      ) as string;
      expect(lines(readFileSync(join(copy, back), "utf8"))).toEqual(lines(original));
    }
  });

  it("refuses to write when iCloud syncs Calendars on the device, and still reads", async () => {
    const { options, db, phone } = phoneAndComputer(18, ["calendars"]);
    const before = digest(db);
    const attempt = syncEndpoints(options);
    await expect(attempt).rejects.toBeInstanceOf(GuardedError);
    await expect(attempt).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/Calendars/) });
    expect(digest(db)).toBe(before);
    expect((await showEndpoint("calendars", `ios:${phone}`)).items).toHaveLength(18);
  });

  it("reports an event it cannot map with its row, skips it, and deletes it nowhere; a corrupt file names itself", async () => {
    const { phone, vdir, options, db } = phoneAndComputer(6);
    await syncEndpoints(options);
    const sql = new Database(db);
    const series = sql
      .prepare("SELECT ROWID FROM CalendarItem WHERE has_recurrences = 1 LIMIT 1")
      .pluck()
      .get();
    sql.prepare("UPDATE Recurrence SET frequency = 9 WHERE owner_id = ?").run(series);
    sql.prepare("UPDATE CalendarItem SET last_modified = last_modified + 60 WHERE ROWID = ?").run(series);
    sql.close();
    const shown = await showEndpoint("calendars", `ios:${phone}`);
    expect(shown.errors).toEqual([
      { where: `${db}#CalendarItem/${series}`, message: "Recurrence frequency 9 is not 1-4" },
    ]);
    const report = await syncEndpoints(options);
    expect(report.skipped.map((s) => s.where)).toEqual([`${db}#CalendarItem/${series}`]);
    expect(changes(report)).toEqual([0, 0]);
    expect(readdirSync(vdir).filter((f) => f.endsWith(".ics"))).toHaveLength(6);

    writeFileSync(db, "this is not a database, it only has the name of one".repeat(100));
    await expect(showEndpoint("calendars", `ios:${phone}`)).rejects.toThrow(
      `Calendar ${db}: file is not a database`,
    );
  });
});
