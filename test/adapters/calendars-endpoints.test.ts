/**
 * The calendar mapping (CalendarObject ↔ Fields) and the calendar endpoints (vdir:, file:) over the
 * whole iCalendar corpus: every object is a fixed point of the mapping, of the codec and of each
 * endpoint; recurring series expand to the same instances after a vdir round trip; writers bump
 * SEQUENCE and stamp DTSTAMP; bad files are reported with file and line and never rewritten.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CalendarsFileEndpoint } from "../../src/adapters/calendars/endpoints/file.js";
import { CalendarsVdirEndpoint } from "../../src/adapters/calendars/endpoints/vdir.js";
import { fieldsToObject, objectToFields } from "../../src/adapters/calendars/fields.js";
import { occurrences, parseCalendar, serializeCalendar } from "../../src/adapters/calendars/ical.js";
import type { CalendarObject } from "../../src/adapters/calendars/model.js";
import type { Endpoint } from "../../src/core/endpoint.js";
import type { Fields } from "../../src/core/fields.js";
import { dtstartOf, fixtureName, icsFiles, isRecurring, readFixture } from "./calendars/corpus.js";

const temp = () => mkdtempSync(join(tmpdir(), "cradle-cal-ep-"));
const STAMP = { dtstamp: "2026-01-01T00:00:00Z", sequence: 0 };

/** Every object the codec reads from the corpus, labelled by file, position and UID. */
const CORPUS = icsFiles()
  .map(fixtureName)
  .flatMap((file) =>
    parseCalendar(readFixture(file), file).objects.map((object, index) => ({
      label: `${file} #${index} ${object.uid || "(no UID)"}`,
      file,
      object,
    })),
  );
const FILES = [...new Set(CORPUS.map((c) => c.file))];

function only(text: string, source: string): CalendarObject {
  const parsed = parseCalendar(text, source);
  expect(parsed.errors).toEqual([]);
  expect(parsed.objects).toHaveLength(1);
  return parsed.objects[0] as CalendarObject;
}

/** Writes items through an endpoint's create, then lists and reads every item back. */
async function throughEndpoint(endpoint: Endpoint, items: { uid: string; fields: Fields }[]) {
  await endpoint.list();
  const outcomes = await endpoint.write({ create: items, update: [], delete: [] });
  for (const o of outcomes) expect(o, JSON.stringify(o)).toMatchObject({ ok: true });
  const listed = await endpoint.list();
  expect(listed).toHaveLength(items.length);
  const read = await endpoint.read(listed.map((l) => l.id));
  return listed.map((l) => {
    const result = read.get(l.id);
    if (!result?.ok) throw new Error(`${l.id} unreadable: ${JSON.stringify(result)}`);
    return result.item;
  });
}

/** Fields in a stable order, for comparing the items of a file regardless of listing order. */
const sortedFields = (list: Fields[]) => list.map((f) => JSON.stringify(f)).sort();

describe("the calendar mapping over the corpus", () => {
  it("has the corpus objects, recurring ones among them", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(50);
    expect(CORPUS.filter((c) => isRecurring(c.object)).length).toBeGreaterThanOrEqual(20);
  });

  it.each(CORPUS)("$label: objectToFields is a fixed point of fieldsToObject and the codec", ({ object }) => {
    const fields = objectToFields(object);
    for (const sequence of [0, 7]) {
      const written = serializeCalendar([fieldsToObject(fields, object.uid, { ...STAMP, sequence })]);
      expect(objectToFields(only(written, "mapped.ics"))).toEqual(fields);
    }
  });
});

describe("the calendar endpoints over the corpus", () => {
  it.each(FILES)("%s: every object survives vdir: create, list and read", async (file) => {
    const objects = CORPUS.filter((c) => c.file === file).map((c) => c.object);
    const dir = join(temp(), "cal");
    const items = await throughEndpoint(
      new CalendarsVdirEndpoint(dir),
      objects.map((o) => ({ uid: o.uid, fields: objectToFields(o) })),
    );
    expect(readdirSync(dir)).toHaveLength(objects.length);
    expect(sortedFields(items.map((i) => i.fields))).toEqual(sortedFields(objects.map(objectToFields)));
    for (const item of items) {
      const source = objects.find((o) => o.uid === item.uid);
      expect(source, `UID ${item.uid}`).toBeDefined();
    }
  });

  it.each(FILES)("%s: every object survives file: create, list and read", async (file) => {
    const objects = CORPUS.filter((c) => c.file === file).map((c) => c.object);
    const path = join(temp(), "all.ics");
    const items = await throughEndpoint(
      new CalendarsFileEndpoint(path),
      objects.map((o) => ({ uid: o.uid, fields: objectToFields(o) })),
    );
    expect(sortedFields(items.map((i) => i.fields))).toEqual(sortedFields(objects.map(objectToFields)));
    // And the file itself parses to the same objects' fields, with no errors.
    const parsed = parseCalendar(readFileSync(path, "utf8"), path);
    expect(parsed.errors).toEqual([]);
    expect(sortedFields(parsed.objects.map(objectToFields))).toEqual(
      sortedFields(objects.map(objectToFields)),
    );
  });

  const TWO_YEARS = 2 * 366 * 86_400_000;
  const FIXED_FROM = new Date("2026-01-01T00:00:00Z");
  const recurring = CORPUS.filter((c) => isRecurring(c.object));

  it.each(recurring)(
    "$label: occurrences over two fixed years survive a vdir write and read",
    async ({ object }) => {
      const dir = join(temp(), "cal");
      const endpoint = new CalendarsVdirEndpoint(dir);
      const [item] = await throughEndpoint(endpoint, [{ uid: object.uid, fields: objectToFields(object) }]);
      const [name] = readdirSync(dir);
      const after = only(readFileSync(join(dir, name as string), "utf8"), name as string);
      const viaFields = fieldsToObject(item?.fields as Fields, object.uid, STAMP);
      // The series' own first two years (from a day before DTSTART), and two fixed years.
      const start = Date.parse(dtstartOf(object) ?? "");
      const windows = [FIXED_FROM, ...(Number.isNaN(start) ? [] : [new Date(start - 86_400_000)])];
      let seen = 0;
      for (const from of windows) {
        const to = new Date(from.getTime() + TWO_YEARS);
        const expected = occurrences(object, from, to);
        seen += expected.length;
        expect(occurrences(after, from, to)).toEqual(expected);
        expect(occurrences(viaFields, from, to)).toEqual(expected);
      }
      expect(seen).toBeGreaterThan(0);
    },
  );
});

const EVENT = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//Test//Test//EN",
  "X-WR-CALNAME:Work",
  "BEGIN:VEVENT",
  "UID:seq@cradle",
  "DTSTAMP:20200101T000000Z",
  "SEQUENCE:4",
  "DTSTART;TZID=Europe/Berlin:20260105T090000",
  "DTEND;TZID=Europe/Berlin:20260105T100000",
  "RRULE:FREQ=WEEKLY;COUNT=10",
  "SUMMARY:Standup",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:seq@cradle",
  "DTSTAMP:20200101T000000Z",
  "RECURRENCE-ID;TZID=Europe/Berlin:20260112T090000",
  "DTSTART;TZID=Europe/Berlin:20260112T110000",
  "DTEND;TZID=Europe/Berlin:20260112T120000",
  "SUMMARY:Standup (late)",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

/** SEQUENCE of every component (master first), and whether each has a fresh DTSTAMP. */
function stamps(text: string) {
  const object = only(text, "stamped.ics");
  return [object.master, ...Object.values(object.overrides)].map((c) => {
    const prop = (name: string) => c?.props.find((p) => p.name === name)?.values[0];
    return { sequence: prop("sequence"), dtstamp: prop("dtstamp") };
  });
}

describe("SEQUENCE and DTSTAMP", () => {
  it("vdir: an update bumps SEQUENCE past the file's own, stamps DTSTAMP and keeps calendar properties", async () => {
    const dir = temp();
    writeFileSync(join(dir, "standup.ics"), EVENT);
    const endpoint = new CalendarsVdirEndpoint(dir);
    const [listed] = await endpoint.list();
    const read = (await endpoint.read([listed?.id as string])).get("standup.ics");
    if (!read?.ok) throw new Error("unreadable");
    const fields = structuredClone(read.item.fields);
    fields.scalars.SUMMARY = JSON.stringify({ name: "summary", params: {}, type: "text", values: ["Daily"] });
    const before = Date.now() - 1000;
    const [outcome] = await endpoint.write({
      create: [],
      update: [{ id: "standup.ics", uid: "seq@cradle", fields }],
      delete: [],
    });
    expect(outcome?.ok).toBe(true);
    const text = readFileSync(join(dir, "standup.ics"), "utf8");
    expect(text).toContain("SUMMARY:Daily");
    expect(text).toContain("X-WR-CALNAME:Work");
    for (const s of stamps(text)) {
      expect(s.sequence).toBe(5);
      expect(Date.parse(String(s.dtstamp))).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    }
    // A second update bumps again, from what the file now says.
    await endpoint.list();
    const again = (await endpoint.read(["standup.ics"])).get("standup.ics");
    if (!again?.ok) throw new Error("unreadable");
    await endpoint.write({
      create: [],
      update: [{ id: "standup.ics", uid: "seq@cradle", fields: again.item.fields }],
      delete: [],
    });
    for (const s of stamps(readFileSync(join(dir, "standup.ics"), "utf8"))) expect(s.sequence).toBe(6);
  });

  it("vdir: an update of a file this endpoint never read still bumps its SEQUENCE and keeps its calendar properties", async () => {
    const dir = temp();
    writeFileSync(join(dir, "standup.ics"), EVENT);
    const first = new CalendarsVdirEndpoint(dir);
    await first.list();
    const read = (await first.read(["standup.ics"])).get("standup.ics");
    if (!read?.ok) throw new Error("unreadable");
    // A new endpoint, as in the next run: the file's token is unchanged, so nothing reads it.
    const fresh = new CalendarsVdirEndpoint(dir);
    await fresh.list();
    const [outcome] = await fresh.write({
      create: [],
      update: [{ id: "standup.ics", uid: "seq@cradle", fields: read.item.fields }],
      delete: [],
    });
    expect(outcome?.ok).toBe(true);
    const text = readFileSync(join(dir, "standup.ics"), "utf8");
    expect(text).toContain("X-WR-CALNAME:Work");
    for (const s of stamps(text)) expect(s.sequence).toBe(5);
  });

  it("vdir: a created event gets a DTSTAMP and no SEQUENCE (0)", async () => {
    const dir = temp();
    const object = only(EVENT, "event.ics");
    const endpoint = new CalendarsVdirEndpoint(dir);
    await endpoint.list();
    await endpoint.write({
      create: [{ uid: object.uid, fields: objectToFields(object) }],
      update: [],
      delete: [],
    });
    const [name] = readdirSync(dir);
    expect(name).toBe("seq@cradle.ics");
    for (const s of stamps(readFileSync(join(dir, name as string), "utf8"))) {
      expect(s.sequence ?? 0).toBe(0);
      expect(String(s.dtstamp)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it("file: an update bumps SEQUENCE of that object only and stamps DTSTAMP", async () => {
    const path = join(temp(), "all.ics");
    const other = EVENT.replaceAll("seq@cradle", "other@cradle").replace("SEQUENCE:4", "SEQUENCE:9");
    writeFileSync(path, EVENT.replace("END:VCALENDAR\r\n", "") + other.split("VERSION:2.0\r\n")[1]);
    const endpoint = new CalendarsFileEndpoint(path);
    expect((await endpoint.list()).map((l) => l.id).sort()).toEqual(["other@cradle", "seq@cradle"]);
    const read = (await endpoint.read(["seq@cradle"])).get("seq@cradle");
    if (!read?.ok) throw new Error("unreadable");
    const [outcome] = await endpoint.write({
      create: [],
      update: [{ id: "seq@cradle", uid: "seq@cradle", fields: read.item.fields }],
      delete: [],
    });
    expect(outcome?.ok).toBe(true);
    const parsed = parseCalendar(readFileSync(path, "utf8"), path);
    expect(parsed.errors).toEqual([]);
    const seqOf = (uid: string) =>
      parsed.objects.find((o) => o.uid === uid)?.master?.props.find((p) => p.name === "sequence")?.values[0];
    expect(seqOf("seq@cradle")).toBe(5);
    expect(seqOf("other@cradle")).toBe(9);
    const stamp = parsed.objects
      .find((o) => o.uid === "seq@cradle")
      ?.master?.props.find((p) => p.name === "dtstamp")?.values[0];
    expect(stamp).not.toBe("2020-01-01T00:00:00Z");
  });
});

const GOOD = EVENT;
const TWO_UIDS = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "BEGIN:VEVENT",
  "UID:first@cradle",
  "DTSTAMP:20260101T000000Z",
  "DTSTART:20260105T090000Z",
  "SUMMARY:First",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:second@cradle",
  "DTSTAMP:20260101T000000Z",
  "DTSTART:20260106T090000Z",
  "SUMMARY:Second",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");
const BROKEN = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "BEGIN:VEVENT",
  "UID:broken@cradle",
  "DTSTAMP:20260101T000000Z",
  "DTSTART:20260105T090000Z",
  "this is not a property",
  "SUMMARY:Broken",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

describe("bad input", () => {
  it("vdir: a file with two UIDs is reported with its file and line, not read", async () => {
    const dir = temp();
    writeFileSync(join(dir, "two.ics"), TWO_UIDS);
    const result = (await new CalendarsVdirEndpoint(dir).read(["two.ics"])).get("two.ics");
    expect(result?.ok).toBe(false);
    if (result && !result.ok) {
      expect(result.error.where).toBe(`${join(dir, "two.ics")}:9`);
      expect(result.error.message).toMatch(/2 UIDs/);
    }
  });

  it("vdir: unparseable content is reported with its file and line, not read", async () => {
    const dir = temp();
    writeFileSync(join(dir, "broken.ics"), BROKEN);
    const result = (await new CalendarsVdirEndpoint(dir).read(["broken.ics"])).get("broken.ics");
    expect(result?.ok).toBe(false);
    if (result && !result.ok) {
      expect(result.error.where).toBe(`${join(dir, "broken.ics")}:7`);
      expect(result.error.message).toMatch(/broken@cradle/);
    }
  });

  it("file: refuses to rewrite a file holding an unreadable item, and loses nothing", async () => {
    const path = join(temp(), "all.ics");
    const text = GOOD.replace("END:VCALENDAR\r\n", "") + BROKEN.split("VERSION:2.0\r\n")[1];
    writeFileSync(path, text);
    const endpoint = new CalendarsFileEndpoint(path);
    expect((await endpoint.list()).map((l) => l.id).sort()).toEqual(["broken@cradle", "seq@cradle"]);
    const read = await endpoint.read(["seq@cradle", "broken@cradle"]);
    const good = read.get("seq@cradle");
    const bad = read.get("broken@cradle");
    expect(good?.ok).toBe(true);
    expect(bad?.ok).toBe(false);
    if (bad && !bad.ok) expect(bad.error.where).toBe(`${path}:26`);
    if (!good?.ok) return;
    const outcomes = await endpoint.write({
      create: [{ uid: "new@cradle", fields: good.item.fields }],
      update: [{ id: "seq@cradle", uid: "seq@cradle", fields: good.item.fields }],
      delete: ["seq@cradle"],
    });
    expect(outcomes).toHaveLength(3);
    for (const o of outcomes) {
      expect(o.ok).toBe(false);
      if (!o.ok) expect(o.error).toMatch(/not rewritten: .*all\.ics:26 cannot be read/);
    }
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("file: UID-less journals all survive a rewrite of the file (none collapses into another)", async () => {
    const path = join(temp(), "memos.ics");
    writeFileSync(path, readFixture("syncevolution/eds_memo.ics"));
    const endpoint = new CalendarsFileEndpoint(path);
    const listed = await endpoint.list();
    expect(listed).toHaveLength(4);
    const read = await endpoint.read(listed.map((l) => l.id));
    const fields = listed.map((l) => {
      const r = read.get(l.id);
      if (!r?.ok) throw new Error(`${l.id}: ${JSON.stringify(r)}`);
      return r.item.fields;
    });
    const object = only(EVENT, "event.ics");
    const outcomes = await endpoint.write({
      create: [{ uid: object.uid, fields: objectToFields(object) }],
      update: [],
      delete: [],
    });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const parsed = parseCalendar(readFileSync(path, "utf8"), path);
    expect(parsed.errors).toEqual([]);
    expect(parsed.objects.map((o) => o.kind).sort()).toEqual([
      "vevent",
      "vjournal",
      "vjournal",
      "vjournal",
      "vjournal",
    ]);
    expect(sortedFields(parsed.objects.filter((o) => o.kind === "vjournal").map(objectToFields))).toEqual(
      sortedFields(fields),
    );
  });
});
