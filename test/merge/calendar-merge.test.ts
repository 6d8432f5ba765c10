/**
 * Calendar merges through the real engine and real vdirs (syncEndpoints): a master edit and an
 * occurrence edit both survive; an occurrence deleted on one side and edited on another comes
 * back (edit beats delete, logged) and is not hidden by the deleting side's EXDATE; DESCRIPTION
 * merges as text; a LOCATION conflict goes to the side modified last unless one is preferred; a
 * weekly 09:00 Europe/Berlin series keeps 09:00 local across DST; random master/override edit
 * schedules on 2–3 vdirs converge in one sync and the next sync writes nothing.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { objectToFields } from "../../src/adapters/calendars/fields.js";
import { occurrences, parseCalendar, serializeCalendar } from "../../src/adapters/calendars/ical.js";
import type { CalendarObject, ICalComponent, ICalProp } from "../../src/adapters/calendars/model.js";
import { type SyncEndpointsResult, syncEndpoints } from "../../src/api/sync.js";
import type { Fields } from "../../src/core/fields.js";

const UID = "standup@cradle";
/** The instance of 2026-01-12 09:00 Berlin, as the override key (UTC instant). */
const JAN12 = "2026-01-12T08:00:00Z";
const JAN19 = "2026-01-19T08:00:00Z";

const SERIES = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//Test//Cradle merge//EN",
  "BEGIN:VEVENT",
  `UID:${UID}`,
  "DTSTAMP:20251201T000000Z",
  "DTSTART;TZID=Europe/Berlin:20260105T090000",
  "DTEND;TZID=Europe/Berlin:20260105T093000",
  "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=30",
  "SUMMARY:Standup",
  "LOCATION:Room 1",
  "DESCRIPTION:Agenda: blockers.\\nKeep it short.",
  "END:VEVENT",
  "BEGIN:VEVENT",
  `UID:${UID}`,
  "DTSTAMP:20251201T000000Z",
  "RECURRENCE-ID;TZID=Europe/Berlin:20260112T090000",
  "DTSTART;TZID=Europe/Berlin:20260112T100000",
  "DTEND;TZID=Europe/Berlin:20260112T103000",
  "SUMMARY:Standup (moved)",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

interface Setup {
  root: string;
  dirs: string[];
  specs: string[];
  stateFile: string;
}

function setup(n: number, initial = SERIES): Setup {
  const root = mkdtempSync(join(tmpdir(), "cradle-cal-merge-"));
  const dirs = Array.from({ length: n }, (_, i) => join(root, String.fromCharCode(65 + i)));
  for (const dir of dirs) mkdirSync(dir);
  writeFileSync(join(dirs[0] as string, "standup.ics"), initial);
  return { root, dirs, specs: dirs.map((d) => `vdir:${d}`), stateFile: join(root, "state.sqlite") };
}

const run = (s: Setup, prefer?: string): Promise<SyncEndpointsResult> =>
  syncEndpoints({ domain: "calendars", endpoints: s.specs, stateFile: s.stateFile, prefer });

/** The one object a vdir holds with that UID, and its file. */
function load(dir: string, uid = UID): { path: string; object: CalendarObject } {
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".ics"))) {
    const path = join(dir, name);
    const parsed = parseCalendar(readFileSync(path, "utf8"), path);
    expect(parsed.errors).toEqual([]);
    const object = parsed.objects.find((o) => o.uid === uid);
    if (object) return { path, object };
  }
  throw new Error(`${dir} holds no ${uid}`);
}

/** Every object in a vdir as Fields, by UID: what the sides compare on. */
function fieldsIn(dir: string): Record<string, Fields> {
  const out: Record<string, Fields> = {};
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".ics"))) {
    const path = join(dir, name);
    for (const o of parseCalendar(readFileSync(path, "utf8"), path).objects) out[o.uid] = objectToFields(o);
  }
  return out;
}

let clock = Math.floor(Date.now() / 1000) + 1000;

/** Edits the object as a user's app would (rewrites the file) and stamps it a later mtime. */
function edit(dir: string, change: (o: CalendarObject) => void, mtime = ++clock): void {
  const { path, object } = load(dir);
  change(object);
  writeFileSync(path, serializeCalendar([object]));
  utimesSync(path, mtime, mtime);
}

const text = (name: string, value: string): ICalProp => ({ name, params: {}, type: "text", values: [value] });

function setProp(c: ICalComponent | undefined, p: ICalProp): void {
  if (!c) throw new Error("no component");
  const at = c.props.findIndex((q) => q.name === p.name);
  if (at >= 0) c.props[at] = p;
  else c.props.push(p);
}

const getProp = (c: ICalComponent | undefined, name: string) =>
  c?.props.find((p) => p.name === name)?.values[0];

/** A new override for an instance of the Berlin series, at its own time unless moved. */
function override(key: string, summary: string): ICalComponent {
  const local = new Date(Date.parse(key) + 3600_000).toISOString().slice(0, 19); // CET, January
  const tz = { tzid: "Europe/Berlin" };
  return {
    name: "vevent",
    props: [
      text("uid", UID),
      { name: "dtstamp", params: {}, type: "date-time", values: ["2026-01-01T00:00:00Z"] },
      { name: "recurrence-id", params: tz, type: "date-time", values: [local] },
      { name: "dtstart", params: tz, type: "date-time", values: [local] },
      text("summary", summary),
    ],
    components: [],
  };
}

/** Deletes one occurrence as calendar apps do: an EXDATE for it, and its override removed. */
function deleteOccurrence(o: CalendarObject, key: string): void {
  const local = new Date(Date.parse(key) + 3600_000).toISOString().slice(0, 19);
  o.master?.props.push({
    name: "exdate",
    params: { tzid: "Europe/Berlin" },
    type: "date-time",
    values: [local],
  });
  delete o.overrides[key];
}

const WINDOW = [new Date("2026-01-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z")] as const;
const instances = (o: CalendarObject) => occurrences(o, ...WINDOW);
const writes = (r: SyncEndpointsResult) =>
  r.endpoints.reduce((sum, e) => sum + e.created + e.updated + e.deleted + e.failed, 0);

describe("calendar merges through syncEndpoints and vdirs", () => {
  it("a master SUMMARY edit on A and an occurrence edit on B both survive", async () => {
    const s = setup(2);
    const [a, b] = s.dirs as [string, string];
    const first = await run(s);
    expect(first.endpoints.map((e) => e.created)).toEqual([0, 1]);
    edit(a, (o) => setProp(o.master, text("summary", "Daily standup")));
    edit(b, (o) => setProp(o.overrides[JAN12], text("location", "Kitchen")));
    const report = await run(s);
    expect(report.conflicts).toEqual([]);
    expect(report.skipped).toEqual([]);
    for (const dir of [a, b]) {
      const { object } = load(dir);
      expect(getProp(object.master, "summary")).toBe("Daily standup");
      expect(getProp(object.overrides[JAN12], "summary")).toBe("Standup (moved)");
      expect(getProp(object.overrides[JAN12], "location")).toBe("Kitchen");
    }
    expect(fieldsIn(a)).toEqual(fieldsIn(b));
    // Both files were rewritten (A for B's override, B for A's summary), B over a file this run
    // never read: SEQUENCE goes past each file's own (A's had none, B's was 0) and DTSTAMP is fresh.
    for (const dir of [a, b]) {
      const { object } = load(dir);
      expect(getProp(object.master, "sequence")).toBe(1);
      expect(getProp(object.master, "dtstamp")).not.toBe("2025-12-01T00:00:00Z");
    }
    expect(writes(await run(s))).toBe(0);
  });

  it("a file holding an EXDATE and an override for one instance converges with files written without it", async () => {
    const s = setup(2);
    const [a, b] = s.dirs as [string, string];
    await run(s);
    edit(a, (o) => {
      o.master?.props.push({
        name: "exdate",
        params: { tzid: "Europe/Berlin" },
        type: "date-time",
        values: ["2026-01-12T09:00:00", "2026-01-19T09:00:00"],
      });
    });
    const report = await run(s);
    expect(report.skipped).toEqual([]);
    expect(fieldsIn(a)).toEqual(fieldsIn(b));
    const { object } = load(b);
    expect(object.master?.props.filter((p) => p.name === "exdate").flatMap((p) => p.values)).toEqual([
      "2026-01-19T09:00:00",
    ]);
    const shown = instances(object).map((i) => i.recurrenceId);
    expect(shown).toContain(JAN12);
    expect(shown).not.toContain(JAN19);
    expect(writes(await run(s))).toBe(0);
  });

  it("an occurrence deleted on A and edited on B survives on both sides: edit beats delete, logged", async () => {
    const s = setup(2);
    const [a, b] = s.dirs as [string, string];
    await run(s);
    edit(a, (o) => deleteOccurrence(o, JAN12));
    // A alone sees the instance gone: the EXDATE hides it, its override is removed.
    expect(instances(load(a).object).some((i) => i.recurrenceId === JAN12)).toBe(false);
    edit(b, (o) => setProp(o.overrides[JAN12], text("summary", "Standup with the CEO")));
    const report = await run(s);
    expect(report.conflicts).toContainEqual(
      expect.objectContaining({ uid: UID, field: JAN12, reason: "edit beats delete", winner: s.specs[1] }),
    );
    for (const dir of [a, b]) {
      const { object } = load(dir);
      expect(getProp(object.overrides[JAN12], "summary")).toBe("Standup with the CEO");
      const jan12 = instances(object).find((i) => i.recurrenceId === JAN12);
      expect(jan12, `${dir}: the edited occurrence is shown`).toEqual({
        recurrenceId: JAN12,
        start: "2026-01-12T09:00:00Z",
        overridden: true,
      });
      // What khal, Thunderbird or an iPhone would do with an EXDATE for it: hide it. So none is written.
      const exdates = object.master?.props.filter((p) => p.name === "exdate") ?? [];
      expect(exdates.flatMap((p) => p.values)).not.toContain("2026-01-12T09:00:00");
      expect(instances(object)).toHaveLength(
        instances(parseCalendar(SERIES, "s").objects[0] as CalendarObject).length,
      );
    }
    expect(fieldsIn(a)).toEqual(fieldsIn(b));
    expect(writes(await run(s))).toBe(0);
  });

  it("an occurrence deleted on A and untouched on B is deleted on both sides", async () => {
    const s = setup(2);
    const [a, b] = s.dirs as [string, string];
    await run(s);
    edit(a, (o) => deleteOccurrence(o, JAN12));
    const report = await run(s);
    expect(report.conflicts).toEqual([]);
    for (const dir of [a, b]) {
      const { object } = load(dir);
      expect(object.overrides[JAN12]).toBeUndefined();
      expect(instances(object).some((i) => i.recurrenceId === JAN12)).toBe(false);
    }
  });

  it("DESCRIPTION edited on both sides merges as text", async () => {
    const s = setup(2);
    const [a, b] = s.dirs as [string, string];
    await run(s);
    edit(a, (o) => setProp(o.master, text("description", "Room 2. Agenda: blockers.\nKeep it short.")));
    edit(b, (o) =>
      setProp(o.master, text("description", "Agenda: blockers.\nKeep it short. Coffee provided.")),
    );
    const report = await run(s);
    expect(report.conflicts).toEqual([]);
    expect(report.textMerges).toEqual([expect.objectContaining({ uid: UID, field: "DESCRIPTION" })]);
    for (const dir of [a, b])
      expect(getProp(load(dir).object.master, "description")).toBe(
        "Room 2. Agenda: blockers.\nKeep it short. Coffee provided.",
      );
  });

  it("a LOCATION conflict goes to the side modified last, and to the preferred side when asked", async () => {
    for (const prefer of [undefined, 0] as const) {
      const s = setup(2);
      const [a, b] = s.dirs as [string, string];
      await run(s);
      edit(a, (o) => setProp(o.master, text("location", "Room A")), ++clock);
      edit(b, (o) => setProp(o.master, text("location", "Room B")), clock + 50);
      clock += 60;
      const report = await run(s, prefer === undefined ? undefined : s.specs[prefer]);
      const want = prefer === undefined ? "Room B" : "Room A";
      for (const dir of [a, b]) expect(getProp(load(dir).object.master, "location")).toBe(want);
      expect(report.conflicts).toHaveLength(1);
      const [conflict] = report.conflicts;
      expect(conflict).toMatchObject({
        uid: UID,
        field: "LOCATION",
        winner: prefer === undefined ? s.specs[1] : s.specs[0],
        reason: prefer === undefined ? "modified last" : "preferred endpoint",
      });
      expect(conflict?.values.map((v) => JSON.parse(v.value ?? "null").values[0]).sort()).toEqual([
        "Room A",
        "Room B",
      ]);
    }
  });

  it("a weekly 09:00 Europe/Berlin event stays at 09:00 local across DST and sync round trips", async () => {
    const weekly = SERIES.split("BEGIN:VEVENT\r\nUID")
      .slice(0, 2)
      .join("BEGIN:VEVENT\r\nUID")
      .replace(/END:VEVENT\r\n$/, "END:VEVENT\r\nEND:VCALENDAR\r\n");
    const s = setup(3, weekly);
    const [a, b, c] = s.dirs as [string, string, string];
    const mondays = (dir: string) =>
      occurrences(load(dir).object, new Date("2026-03-16T00:00:00Z"), new Date("2026-04-07T00:00:00Z")).map(
        (o) => o.start,
      );
    const expected = [
      "2026-03-16T08:00:00Z",
      "2026-03-23T08:00:00Z",
      "2026-03-30T07:00:00Z",
      "2026-04-06T07:00:00Z",
    ];
    await run(s);
    for (const [round, dir] of [b, c, a, b].entries()) {
      edit(dir, (o) => setProp(o.master, text("summary", `Standup ${round}`)));
      await run(s);
      for (const d of [a, b, c]) {
        expect(mondays(d)).toEqual(expected);
        const written = readFileSync(load(d).path, "utf8");
        expect(written).toContain("DTSTART;TZID=Europe/Berlin:20260105T090000");
        expect(written).toContain("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n");
        expect(getProp(load(d).object.master, "summary")).toBe(`Standup ${round}`);
      }
    }
  });
});

/** One user edit of the series on one side. */
type Op =
  | { kind: "summary"; value: string }
  | { kind: "location"; value: string }
  | { kind: "description"; append: string }
  | { kind: "edit-override"; week: number; value: string }
  | { kind: "add-override"; week: number; value: string }
  | { kind: "delete-occurrence"; week: number }
  | { kind: "delete-override"; week: number };

/** Instances 1..4 after the first (week 1 is JAN12, which has an override to start with). */
const keyOf = (week: number) =>
  new Date(Date.parse(JAN12) + (week - 1) * 7 * 86_400_000).toISOString().replace(".000", "");

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("summary" as const), value: fc.constantFrom("Sync", "Daily", "Huddle") }),
  fc.record({
    kind: fc.constant("location" as const),
    value: fc.constantFrom("Room 2", "Kitchen", "Online"),
  }),
  fc.record({
    kind: fc.constant("description" as const),
    append: fc.constantFrom(" Bring tea.", " Notes on wiki."),
  }),
  fc.record({
    kind: fc.constant("edit-override" as const),
    week: fc.integer({ min: 1, max: 4 }),
    value: fc.constantFrom("Moved", "Cancelled?", "With guests"),
  }),
  fc.record({
    kind: fc.constant("add-override" as const),
    week: fc.integer({ min: 1, max: 4 }),
    value: fc.constantFrom("Extra", "Short one"),
  }),
  fc.record({ kind: fc.constant("delete-occurrence" as const), week: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant("delete-override" as const), week: fc.integer({ min: 1, max: 4 }) }),
);

/** Whether the master has an EXDATE for that instance (as deleteOccurrence writes it). */
const excluded = (o: CalendarObject, key: string) =>
  (o.master?.props ?? []).some(
    (p) =>
      p.name === "exdate" &&
      p.values.includes(new Date(Date.parse(key) + 3600_000).toISOString().slice(0, 19)),
  );

function apply(o: CalendarObject, op: Op): void {
  const key = "week" in op ? keyOf(op.week) : "";
  if (op.kind === "summary" || op.kind === "location") setProp(o.master, text(op.kind, op.value));
  else if (op.kind === "description")
    setProp(o.master, text("description", `${getProp(o.master, "description") ?? ""}${op.append}`));
  else if (op.kind === "edit-override" || op.kind === "add-override") {
    const existing = o.overrides[key];
    if (existing) setProp(existing, text("summary", op.value));
    // An app cannot override an instance it no longer shows.
    else if (op.kind === "add-override" && !excluded(o, key)) o.overrides[key] = override(key, op.value);
  } else if (op.kind === "delete-occurrence") {
    if (!excluded(o, key)) deleteOccurrence(o, key);
  } else delete o.overrides[key];
}

describe("calendar edit schedules (property)", () => {
  it("random master/override edits on 2–3 vdirs converge in one sync; the next sync writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 2, max: 3 })
          .chain((n) => fc.array(fc.array(arbOp, { maxLength: 3 }), { minLength: n, maxLength: n })),
        async (schedule) => {
          const s = setup(schedule.length);
          await run(s);
          schedule.forEach((ops, side) => {
            if (ops.length > 0)
              edit(s.dirs[side] as string, (o) => {
                for (const op of ops) apply(o, op);
              });
          });
          const report = await run(s);
          expect(report.skipped).toEqual([]);
          const [first, ...rest] = s.dirs.map(fieldsIn);
          for (const other of rest) expect(other).toEqual(first);
          // Every override that survived is shown (no EXDATE hides it).
          for (const dir of s.dirs) {
            const { object } = load(dir);
            const shown = new Set(instances(object).map((i) => i.recurrenceId));
            for (const key of Object.keys(object.overrides)) expect(shown.has(key)).toBe(true);
            const exdates = new Set(
              (object.master?.props ?? [])
                .filter((p) => p.name === "exdate")
                .flatMap((p) =>
                  p.values.map((v) => `${new Date(`${v}+01:00`).toISOString().replace(".000", "")}`),
                ),
            );
            for (const key of Object.keys(object.overrides)) expect(exdates.has(key)).toBe(false);
          }
          const again = await run(s);
          expect(writes(again)).toBe(0);
          expect(again.conflicts).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
