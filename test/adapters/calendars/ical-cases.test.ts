import { describe, expect, it } from "vitest";
import {
  occurrences,
  parseCalendar,
  serializeCalendar,
  splitCalendar,
} from "../../../src/adapters/calendars/ical.js";

const calendar = (...lines: string[]) =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", ...lines, "END:VCALENDAR", ""].join("\r\n");
const event = (uid: string, ...lines: string[]) => [
  "BEGIN:VEVENT",
  `UID:${uid}`,
  "DTSTAMP:20260101T000000Z",
  ...lines,
  "END:VEVENT",
];
const GOOD = event("good", "DTSTART:20260105T090000Z", "SUMMARY:fine");

describe("bad input", () => {
  it("a malformed line skips its object, names source:line and UID, and the rest still parses", () => {
    const parsed = parseCalendar(
      calendar(...event("bad", "DTSTART:20260105T090000Z", "NO COLON HERE"), ...GOOD),
      "c.ics",
    );
    expect(parsed.objects.map((o) => o.uid)).toEqual(["good"]);
    expect(parsed.errors).toEqual([
      { where: "c.ics:7", message: expect.stringMatching(/UID bad: malformed line.*skipped/) },
    ]);
  });

  it("a date that is no date is malformed", () => {
    const parsed = parseCalendar(calendar(...event("bad", "DTSTART:garbage"), ...GOOD), "c.ics");
    expect(parsed.objects.map((o) => o.uid)).toEqual(["good"]);
    expect(parsed.errors[0]?.message).toMatch(/malformed date-time value in DTSTART/);
  });

  it("an unparseable RRULE is reported, kept verbatim and written back as it came", () => {
    const rule = "RRULE:FREQ=SOMETIMES;BYDAY=MO";
    const parsed = parseCalendar(calendar(...event("r", "DTSTART:20260105T090000Z", rule), ...GOOD), "c.ics");
    expect(parsed.objects.map((o) => o.uid)).toEqual(["r", "good"]);
    expect(parsed.errors).toEqual([
      { where: "c.ics:7", message: expect.stringMatching(/UID r: RRULE cannot be parsed/) },
    ]);
    const [r] = parsed.objects;
    if (!r) throw new Error("lost");
    expect(serializeCalendar([r])).toContain(`\r\n${rule}\r\n`);
    expect(occurrences(r, new Date("2026-01-01"), new Date("2027-01-01"))).toHaveLength(1);
    expect(
      parseCalendar(calendar(...event("v1", "DTSTART:20260105T090000Z", "RRULE:W1 TH")), "c").errors[0]
        ?.message,
    ).toMatch(/no FREQ/);
  });

  it("a TZID with no VTIMEZONE that no zone database knows is reported; the object is kept", () => {
    const parsed = parseCalendar(
      calendar(...event("tz", "DTSTART;TZID=Custom/Nowhere:20260105T090000")),
      "c.ics",
    );
    expect(parsed.objects).toHaveLength(1);
    expect(parsed.errors).toEqual([
      { where: "c.ics:3", message: expect.stringMatching(/UID tz: TZID "Custom\/Nowhere" has no VTIMEZONE/) },
    ]);
  });

  it("a missing VTIMEZONE for an IANA TZID is no error and is generated on write", () => {
    const parsed = parseCalendar(
      calendar(...event("tz", "DTSTART;TZID=Europe/Berlin:20260105T090000")),
      "c.ics",
    );
    expect(parsed.errors).toEqual([]);
    expect(serializeCalendar(parsed.objects)).toContain(
      "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT",
    );
  });

  it("an invalid VTIMEZONE is reported, kept, and its TZID then reported as unresolved", () => {
    const zone = ["BEGIN:VTIMEZONE", "TZID:Custom/Broken", "END:VTIMEZONE"];
    const parsed = parseCalendar(
      calendar(...zone, ...event("tz", "DTSTART;TZID=Custom/Broken:20260105T090000")),
      "c.ics",
    );
    expect(parsed.objects).toHaveLength(1);
    expect(parsed.errors.map((e) => e.where)).toEqual(["c.ics:3", "c.ics:6"]);
    expect(parsed.errors[0]?.message).toMatch(
      /invalid VTIMEZONE Custom\/Broken: VTIMEZONE has no STANDARD or DAYLIGHT/,
    );
    expect(serializeCalendar(parsed.objects, { header: parsed.header })).toContain("TZID:Custom/Broken");
  });

  it("an unclosed component and text outside components are reported", () => {
    const text = `junk\r\n${calendar(...event("open", "DTSTART:20260105T090000Z").slice(0, -1), ...GOOD)}`;
    const parsed = parseCalendar(text, "c.ics");
    expect(parsed.objects.map((o) => o.uid)).toEqual(["good"]);
    expect(parsed.errors.map((e) => e.where)).toEqual(["c.ics:1", "c.ics:4"]);
    expect(parsed.errors[1]?.message).toMatch(/UID open: BEGIN:VEVENT has no END/);
  });

  it("overrides without master are kept and flagged (khal #447)", () => {
    const parsed = parseCalendar(
      calendar(...event("o", "RECURRENCE-ID:20260105T090000Z", "DTSTART:20260105T100000Z")),
      "c",
    );
    expect(parsed.errors).toEqual([]);
    const [o] = parsed.objects;
    expect(o?.orphanOverrides).toBe(true);
    expect(o?.master).toBeUndefined();
    if (!o) throw new Error("lost");
    expect(occurrences(o, new Date("2026-01-01"), new Date("2026-02-01")).map((x) => x.start)).toEqual([
      "2026-01-05T10:00:00Z",
    ]);
    const [again] = parseCalendar(serializeCalendar([o]), "c").objects;
    expect({ ...again, calendarProps: [] }).toEqual(o);
  });
});

describe("normalization and verbatim carriage", () => {
  it("keys a UTC and a TZID RECURRENCE-ID of one instance alike; floating and dates read as UTC", () => {
    const keys = (rid: string) =>
      Object.keys(
        parseCalendar(calendar(...event("k", rid, "DTSTART:20260105T100000Z")), "c").objects[0]?.overrides ??
          {},
      );
    expect(keys("RECURRENCE-ID:20260105T080000Z")).toEqual(["2026-01-05T08:00:00Z"]);
    expect(keys("RECURRENCE-ID;TZID=Europe/Berlin:20260105T090000")).toEqual(["2026-01-05T08:00:00Z"]);
    expect(keys("RECURRENCE-ID:20260105T090000")).toEqual(["2026-01-05T09:00:00Z"]);
    expect(keys("RECURRENCE-ID;VALUE=DATE:20260105")).toEqual(["2026-01-05T00:00:00Z"]);
  });

  it("keeps unknown properties, parameters, alarms, attendees and calendar name and colour verbatim", () => {
    const text = calendar(
      "PRODID:-//Apple Inc.//iPhone OS 18//EN",
      "X-WR-CALNAME:Family",
      "X-APPLE-CALENDAR-COLOR:#FF2968",
      ...event(
        "v",
        "DTSTART;VALUE=DATE:20260105",
        "DTEND;VALUE=DATE:20260106",
        'X-CUSTOM;X-PARAM="a;b":value\\, with comma',
        'ATTENDEE;CN="Meyer, Anna";PARTSTAT=ACCEPTED;X-NUM-GUESTS=0:mailto:anna@example.org',
        "ORGANIZER;CN=Bob:mailto:bob@example.org",
        "CATEGORIES:Work,Family",
        "URL:https://example.org/e",
        "STATUS:CONFIRMED",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER:-PT15M",
        "X-WR-ALARMUID:42",
        "END:VALARM",
      ),
    );
    const parsed = parseCalendar(text, "c");
    const out = serializeCalendar(parsed.objects);
    for (const line of text.split("\r\n").filter((l) => l && !l.startsWith("VERSION")))
      expect(out.replace(/\r\n /g, "")).toContain(line);
    expect(parseCalendar(out, "c").objects).toEqual(parsed.objects);
  });

  it("folds at 75 octets without splitting a multi-byte character", () => {
    const summary = `SUMMARY:${"Grüße 😀 ".repeat(30)}`;
    const out = serializeCalendar(
      parseCalendar(calendar(...event("f", "DTSTART:20260105T090000Z", summary)), "c").objects,
    );
    for (const line of out.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(out.replace(/\r\n /g, "")).toContain(summary.trimEnd());
    expect(out).not.toContain("\uFFFD");
  });

  it("splitCalendar groups a UID's components and skips VTIMEZONE", () => {
    const text = calendar(
      "BEGIN:VTIMEZONE",
      "TZID:UTC",
      "BEGIN:STANDARD",
      "DTSTART:19700101T000000",
      "TZOFFSETFROM:+0000",
      "TZOFFSETTO:+0000",
      "END:STANDARD",
      "END:VTIMEZONE",
      ...event("a", "DTSTART:20260105T090000Z"),
      ...GOOD,
      ...event("a", "RECURRENCE-ID:20260112T090000Z", "DTSTART:20260112T100000Z"),
    );
    const split = splitCalendar(text);
    expect(split.map((s) => [s.uid, s.line])).toEqual([
      ["a", 11],
      ["good", 16],
    ]);
    expect(split[0]?.text.match(/BEGIN:VEVENT/g)).toHaveLength(2);
  });
});
