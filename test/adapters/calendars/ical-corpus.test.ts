import { describe, expect, it } from "vitest";
import {
  generateVTimezone,
  occurrences,
  parseCalendar,
  serializeCalendar,
  splitCalendar,
} from "../../../src/adapters/calendars/ical.js";
import { fixtureName, icsFiles, isRecurring, normalized, readFixture, roundTrip } from "./corpus.js";

const FILES = icsFiles().map(fixtureName);
const TWO_YEARS = 2 * 366 * 86_400_000;
/** A fixed window, so results never depend on when the tests run. */
const FIXED_FROM = new Date("2026-01-01T00:00:00Z");

describe("iCalendar corpus", () => {
  it("has the fixture files", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(47);
  });

  it.each(FILES.filter((f) => !f.endsWith("vcal10.ics")))(
    "%s parses and round-trips to a fixed point",
    (file) => {
      const parsed = parseCalendar(readFixture(file), file);
      const again = roundTrip(parsed);
      expect(normalized(again)).toEqual(normalized(parsed));
      expect(again.errors.filter((e) => !/kept/.test(e.message))).toEqual([]);
      expect(normalized(roundTrip(again))).toEqual(normalized(parsed));
    },
  );

  it.each(FILES)("%s serializes with CRLF, folding at 75 octets and a VTIMEZONE for every TZID", (file) => {
    const parsed = parseCalendar(readFixture(file), file);
    const text = serializeCalendar(parsed.objects, { header: parsed.header });
    expect(text.endsWith("\r\n")).toBe(true);
    const lines = text.slice(0, -2).split("\r\n");
    for (const line of lines) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    expect(lines.slice(0, 3).some((l) => l.startsWith("PRODID:"))).toBe(true);
    const unfolded = text.replace(/\r\n[ \t]/g, "");
    const used = new Set([...unfolded.matchAll(/;TZID="?([^;:"]*)/g)].map((m) => m[1] ?? ""));
    for (const tzid of used) {
      const known = readFixture(file).includes(`TZID:${tzid}`) || generateVTimezone(tzid) !== undefined;
      if (known) expect(unfolded, `VTIMEZONE for ${tzid}`).toContain(`\r\nTZID:${tzid}\r\n`);
    }
  });

  it.each(FILES)("%s: splitCalendar finds the UIDs parseCalendar groups", (file) => {
    const text = readFixture(file);
    const parsed = parseCalendar(text, file);
    const split = splitCalendar(text);
    if (file.endsWith("vcal10.ics")) return;
    expect(split.map((s) => s.uid).sort()).toEqual(parsed.objects.map((o) => o.uid).sort());
  });

  const recurring = FILES.flatMap((file) =>
    parseCalendar(readFixture(file), file)
      .objects.filter(isRecurring)
      .map((o) => [file, o.uid] as const),
  );

  it("finds the recurring events of the corpus", () => {
    expect(recurring.length).toBeGreaterThanOrEqual(20);
  });

  it.each(recurring)("%s %s: occurrences over two years survive round trips", (file, uid) => {
    const parsed = parseCalendar(readFixture(file), file);
    const before = parsed.objects.find((o) => o.uid === uid);
    const after = roundTrip(roundTrip(parsed)).objects.find((o) => o.uid === uid);
    if (!before || !after) throw new Error("object lost");
    const first = occurrences(before, new Date(0), new Date("2100-01-01"))[0];
    const from = first ? new Date(first.start) : FIXED_FROM;
    for (const start of [from, FIXED_FROM]) {
      const end = new Date(start.getTime() + TWO_YEARS);
      const expected = occurrences(before, start, end);
      expect(occurrences(after, start, end)).toEqual(expected);
    }
    expect(occurrences(before, from, new Date(from.getTime() + TWO_YEARS)).length).toBeGreaterThan(0);
  });

  it("reports every vCalendar 1.0 item as an unsupported version, without crashing", () => {
    const parsed = parseCalendar(readFixture("syncevolution/vcal10.ics"), "vcal10.ics");
    expect(parsed.objects).toEqual([]);
    expect(parsed.errors).toHaveLength(8);
    for (const e of parsed.errors) {
      expect(e.where).toMatch(/^vcal10\.ics:\d+$/);
      expect(e.message).toMatch(/unsupported calendar version 1\.0/);
    }
  });

  it("groups SyncEvolution's overrides with their master and flags the set without one", () => {
    const parsed = parseCalendar(readFixture("syncevolution/eds_event.ics"), "eds_event.ics");
    expect(parsed.errors).toEqual([]);
    const series = parsed.objects.find((o) => o.uid === "20080407T193125Z-19554-727-1-50@gollum");
    expect(Object.keys(series?.overrides ?? {}).sort()).toEqual([
      "2008-04-13T09:00:00Z",
      "2008-04-20T09:00:00Z",
    ]);
    expect(series?.orphanOverrides).toBe(false);
    const orphans = parsed.objects.find((o) => o.uid === "20080407T193125Z-19554-727-1-50-YY@gollum");
    expect(orphans?.master).toBeUndefined();
    expect(orphans?.orphanOverrides).toBe(true);
    expect(Object.keys(orphans?.overrides ?? {})).toHaveLength(2);
  });

  it("carries VTODO and VJOURNAL", () => {
    const task = parseCalendar(readFixture("syncevolution/eds_task.ics"), "t").objects;
    const memos = parseCalendar(readFixture("syncevolution/eds_memo.ics"), "m").objects;
    expect(task.map((o) => o.kind)).toEqual(["vtodo"]);
    expect(memos.map((o) => o.kind)).toEqual(["vjournal", "vjournal", "vjournal", "vjournal"]);
  });
});
