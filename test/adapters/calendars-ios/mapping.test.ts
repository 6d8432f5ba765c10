import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { objectToRecord } from "../../../src/adapters/calendars/ios/from-ical.js";
import { FLOATING } from "../../../src/adapters/calendars/ios/record.js";
import { recordToObject } from "../../../src/adapters/calendars/ios/to-ical.js";
import { instantOfWall, wallClockAt } from "../../../src/adapters/calendars/ios/zone-time.js";
import { eventRecord, storedTime } from "./arbitraries.js";

const stamp = { dtstamp: "2026-01-01T00:00:00Z", sequence: 0 };

describe("Calendar.sqlitedb rows ↔ iCalendar", () => {
  it("maps every storable event to iCalendar and back to the same rows", () => {
    fc.assert(
      fc.property(eventRecord, (record) => {
        expect(objectToRecord(recordToObject(record, stamp))).toEqual(record);
      }),
      { numRuns: 150 },
    );
  });

  it("keeps a wall clock in its IANA zone across DST changes", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("Europe/Berlin", "America/New_York", "Australia/Sydney"),
        fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2035, 0, 1) }),
        (zone, ms) => {
          const wall = wallClockAt(ms, zone);
          expect(wallClockAt(instantOfWall(wall, zone), zone)).toEqual(wall);
        },
      ),
    );
  });

  it("stores floating times as their wall clock and all-day events as UTC midnights", () => {
    const wall = { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 };
    expect(storedTime(wall, FLOATING).seconds).toBe(Date.UTC(2026, 2, 29, 2, 30) / 1000 - 978307200);
    const object = recordToObject(
      {
        uid: "a",
        summary: "Holiday",
        description: null,
        url: null,
        location: null,
        allDay: true,
        start: { seconds: Date.UTC(2026, 6, 1) / 1000 - 978307200, tz: FLOATING },
        end: { seconds: Date.UTC(2026, 6, 3) / 1000 - 978307200 - 1, tz: FLOATING },
        alarms: [],
        organizer: null,
        attendees: [],
        recurrence: null,
        exceptionDates: [],
        detached: [],
      },
      stamp,
    );
    const props = object.master?.props ?? [];
    expect(props.find((p) => p.name === "dtstart")).toMatchObject({ type: "date", values: ["2026-07-01"] });
    expect(props.find((p) => p.name === "dtend")).toMatchObject({ type: "date", values: ["2026-07-03"] });
  });
});
