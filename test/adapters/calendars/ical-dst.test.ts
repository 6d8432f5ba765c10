import { describe, expect, it } from "vitest";
import {
  generateVTimezone,
  occurrences,
  parseCalendar,
  serializeCalendar,
} from "../../../src/adapters/calendars/ical.js";
import type { CalendarObject } from "../../../src/adapters/calendars/model.js";

const EVENT = [
  "BEGIN:VEVENT",
  "UID:weekly-berlin@cradle",
  "DTSTAMP:20260101T000000Z",
  "DTSTART;TZID=Europe/Berlin:20260105T090000",
  "DTEND;TZID=Europe/Berlin:20260105T100000",
  "RRULE:FREQ=WEEKLY;BYDAY=MO",
  "SUMMARY:Standup",
  "END:VEVENT",
];
const calendar = (...lines: string[]) =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", ...lines, "END:VCALENDAR", ""].join("\r\n");

function only(text: string): CalendarObject {
  const parsed = parseCalendar(text, "dst.ics");
  expect(parsed.errors).toEqual([]);
  const [object] = parsed.objects;
  if (!object) throw new Error("no object");
  return object;
}

function mondays(object: CalendarObject): string[] {
  return occurrences(object, new Date("2026-03-16T00:00:00Z"), new Date("2026-04-07T00:00:00Z")).map(
    (o) => o.start,
  );
}

const EXPECTED = [
  "2026-03-16T08:00:00Z",
  "2026-03-23T08:00:00Z",
  "2026-03-30T07:00:00Z",
  "2026-04-06T07:00:00Z",
];

describe("DST: a weekly 09:00 Europe/Berlin event", () => {
  it("generates Berlin's VTIMEZONE from the IANA zone: last Sunday of March and of October", () => {
    const zone = generateVTimezone("Europe/Berlin");
    const parts = zone?.components.map((c) => [c.name, ...c.props.map((p) => JSON.stringify(p.values[0]))]);
    expect(parts).toEqual([
      [
        "daylight",
        '"1970-03-29T02:00:00"',
        '"+01:00"',
        '"+02:00"',
        '{"freq":"YEARLY","bymonth":3,"byday":"-1SU"}',
      ],
      [
        "standard",
        '"1970-10-25T03:00:00"',
        '"+02:00"',
        '"+01:00"',
        '{"freq":"YEARLY","bymonth":10,"byday":"-1SU"}',
      ],
    ]);
  });

  it("without a VTIMEZONE in the source stays at 09:00 local (08:00Z, then 07:00Z) across round trips", () => {
    let object = only(calendar(...EVENT));
    expect(mondays(object)).toEqual(EXPECTED);
    for (let round = 0; round < 3; round++) {
      const text = serializeCalendar([object]);
      expect(text).toContain("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n");
      object = only(text);
      expect(mondays(object)).toEqual(EXPECTED);
    }
  });

  it("with the source's own VTIMEZONE keeps it verbatim and the same instants", () => {
    const first = only(serializeCalendar([only(calendar(...EVENT))]));
    const own = first.timezones["Europe/Berlin"];
    expect(own).toBeDefined();
    const again = only(serializeCalendar([first]));
    expect(again.timezones["Europe/Berlin"]).toEqual(own);
    expect(mondays(again)).toEqual(EXPECTED);
  });

  it("an override keyed in UTC matches the instance after the change", () => {
    const override = EVENT.map((l) =>
      l.startsWith("RRULE")
        ? "RECURRENCE-ID;TZID=Europe/Berlin:20260330T090000"
        : l.replace("T090000", "T110000"),
    ).map((l) => (l.startsWith("DTSTART") ? "DTSTART;TZID=Europe/Berlin:20260330T110000" : l));
    const object = only(calendar(...EVENT, ...override));
    expect(Object.keys(object.overrides)).toEqual(["2026-03-30T07:00:00Z"]);
    const starts = mondays(only(serializeCalendar([object])));
    expect(starts).toEqual([EXPECTED[0], EXPECTED[1], "2026-03-30T09:00:00Z", EXPECTED[3]]);
  });
});
