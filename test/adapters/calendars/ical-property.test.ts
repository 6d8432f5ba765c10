import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { occurrences, parseCalendar, serializeCalendar } from "../../../src/adapters/calendars/ical.js";

const ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "", "Z"];
const RULES = [
  "",
  "RRULE:FREQ=DAILY;COUNT=20",
  "RRULE:FREQ=WEEKLY;BYDAY=MO,WE",
  "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
];

/** Text as RFC 5545 escapes it, so any string survives as a TEXT value. */
const escapeText = (s: string) =>
  s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");

const eventArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  rule: fc.constantFrom(...RULES),
  day: fc.integer({ min: 1, max: 28 }),
  month: fc.integer({ min: 1, max: 12 }),
  hour: fc.integer({ min: 0, max: 23 }),
  summary: fc.string({ unit: "grapheme", maxLength: 120 }),
  xValue: fc.string({ unit: "grapheme-ascii", maxLength: 40 }),
  overrideWeeks: fc.uniqueArray(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
});

type Event = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

function toText(e: Event): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const local = `2026${pad(e.month)}${pad(e.day)}T${pad(e.hour)}0000`;
  const at = (value: string) =>
    e.zone === "" ? `:${value}` : e.zone === "Z" ? `:${value}Z` : `;TZID=${e.zone}:${value}`;
  const base = ["UID:prop@cradle", "DTSTAMP:20260101T000000Z", `SUMMARY:${escapeText(e.summary)}`];
  const master = ["BEGIN:VEVENT", ...base, `DTSTART${at(local)}`, ...(e.rule ? [e.rule] : [])];
  master.push(`X-CRADLE-TEST;X-P="${e.xValue.replace(/"/g, "'")}":${escapeText(e.xValue)}`, "END:VEVENT");
  const overrides = e.rule
    ? e.overrideWeeks.flatMap((weeks) => {
        const date = new Date(Date.UTC(2026, e.month - 1, e.day + 7 * weeks, e.hour));
        const value = date.toISOString().replace(/[-:]/g, "").slice(0, 15);
        return ["BEGIN:VEVENT", ...base, `RECURRENCE-ID${at(value)}`, `DTSTART${at(value)}`, "END:VEVENT"];
      })
    : [];
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//test//EN",
    ...master,
    ...overrides,
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}

describe("iCalendar codec properties", () => {
  it("parse(serialize(x)) is a fixed point and keeps every occurrence", () => {
    fc.assert(
      fc.property(eventArb, (e) => {
        const parsed = parseCalendar(toText(e), "gen.ics");
        expect(parsed.errors).toEqual([]);
        const again = parseCalendar(
          serializeCalendar(parsed.objects, { header: parsed.header }),
          "again.ics",
        );
        expect(again.objects).toEqual(parsed.objects);
        const [before] = parsed.objects;
        const [after] = again.objects;
        if (!before || !after) throw new Error("lost");
        const [from, to] = [new Date("2026-01-01T00:00:00Z"), new Date("2028-01-01T00:00:00Z")];
        expect(occurrences(after, from, to)).toEqual(occurrences(before, from, to));
      }),
      { numRuns: 60, seed: 20260101 },
    );
  });
});
