import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  CATEGORIES,
  DESCRIPTION_LINES,
  LOCATIONS,
  PEOPLE,
  SUMMARIES,
  TZIDS,
  type Tzid,
  ZONES,
} from "./ics-data.js";
import { Rng } from "./prng.js";
import { escapeText, toText } from "./vcf-lines.js";

/**
 * Deterministic iCalendar events, one .ics per UID in a vdir (khal/vdirsyncer layout). Every
 * tenth event is a recurring series (weekly or monthly, some with EXDATE) carrying 1–3
 * overrides (RECURRENCE-ID) in the same file. Timed events use Europe/Berlin or
 * America/New_York and each file carries the VTIMEZONE of every TZID it uses.
 */

export interface GeneratedEvents {
  uids: string[];
  /** UIDs of the recurring series (all of them have overrides). */
  series: string[];
  bytes: number;
}

/** A wall-clock time, held in a Date's UTC fields; `tz` undefined means all-day. */
interface When {
  at: Date;
  tz?: Tzid;
}

const DAY = 86_400_000;
const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const ymd = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
const local = (d: Date) => `${ymd(d)}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}00`;
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY);
const addMinutes = (d: Date, n: number) => new Date(d.getTime() + n * 60_000);
const addMonths = (d: Date, n: number) => {
  const out = new Date(d);
  out.setUTCMonth(out.getUTCMonth() + n);
  return out;
};

const params = (w: When) => (w.tz ? `;TZID=${w.tz}` : ";VALUE=DATE");
const value = (w: When) => (w.tz ? local(w.at) : ymd(w.at));
/** DTSTART;TZID=…:… or DTSTART;VALUE=DATE:… */
const dt = (name: string, w: When) => `${name}${params(w)}:${value(w)}`;

function uuid(rng: Rng): string {
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-A${rng.hex(3)}-${rng.hex(12)}`;
}

function stamp(rng: Rng): string {
  const d = new Date(Date.UTC(2023, 0, 1) + rng.int(0, 500) * DAY + rng.int(0, DAY / 1000 - 1) * 1000);
  return `${local(d)}Z`;
}

function email(name: string): string {
  const user = name
    .normalize("NFD")
    .replace(/[^A-Za-z ]/g, "")
    .toLowerCase()
    .replace(" ", ".");
  return `mailto:${user}@example.com`;
}

function people(rng: Rng): string[] {
  const [organizer, ...rest] = rng.shuffle(PEOPLE).slice(0, rng.int(2, 6)) as [string, ...string[]];
  const lines = [`ORGANIZER;CN=${organizer}:${email(organizer)}`];
  for (const p of rest) {
    const partstat = rng.pick(["ACCEPTED", "NEEDS-ACTION", "TENTATIVE", "DECLINED"]);
    lines.push(
      `ATTENDEE;CN=${p};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=${partstat};RSVP=TRUE:${email(p)}`,
    );
  }
  return lines;
}

function alarm(rng: Rng, allDay: boolean): string[] {
  const trigger = allDay ? "-PT15H" : rng.pick(["-PT5M", "-PT15M", "-PT30M", "-PT1H", "-P1D"]);
  return [
    "BEGIN:VALARM",
    `X-WR-ALARMUID:${uuid(rng)}`,
    "ACTION:DISPLAY",
    "DESCRIPTION:Reminder",
    `TRIGGER:${trigger}`,
    "END:VALARM",
  ];
}

/** Start (and end) of a new event: all-day or timed in one of the zones, 2024–2025. */
function slot(rng: Rng, allDay: boolean, monthDay = false): { start: When; end: When } {
  const day = new Date(Date.UTC(2024, 0, 1) + rng.int(0, 729) * DAY);
  if (monthDay && day.getUTCDate() > 28) day.setUTCDate(rng.int(1, 28));
  if (allDay) return { start: { at: day }, end: { at: addDays(day, rng.chance(0.8) ? 1 : rng.int(2, 3)) } };
  const tz = rng.chance(0.6) ? "Europe/Berlin" : "America/New_York";
  const at = addMinutes(day, rng.int(7, 17) * 60 + rng.pick([0, 15, 30, 45]));
  const end = addMinutes(at, rng.pick([30, 45, 60, 90, 120]));
  // A few trips start in one zone and end in the other, so the file needs both VTIMEZONEs.
  const endTz = rng.chance(0.03) ? (TZIDS.find((z) => z !== tz) as Tzid) : tz;
  return { start: { at, tz }, end: { at: end, tz: endTz } };
}

/** RRULE, EXDATE and overrides of a series starting at `start`. */
function recurrence(rng: Rng, start: When, end: When, uid: string, summary: string) {
  const weekly = rng.chance(0.6);
  const interval = weekly && rng.chance(0.3) ? 2 : 1;
  const n = weekly ? rng.int(8, 52) : rng.int(6, 24);
  const shift = (w: When, k: number): When => ({
    ...w,
    at: weekly ? addDays(w.at, 7 * interval * k) : addMonths(w.at, k),
  });
  const by = weekly ? `BYDAY=${WEEKDAYS[start.at.getUTCDay()]}` : `BYMONTHDAY=${start.at.getUTCDate()}`;
  const last = shift(start, n - 1).at;
  const limit = !rng.chance(0.4)
    ? `COUNT=${n}`
    : start.tz
      ? `UNTIL=${ymd(last)}T235959Z`
      : `UNTIL=${ymd(last)}`;
  const rrule = `RRULE:FREQ=${weekly ? "WEEKLY" : "MONTHLY"}${interval > 1 ? `;INTERVAL=${interval}` : ""};${by};${limit}`;
  const picks = rng.shuffle(Array.from({ length: n - 1 }, (_, i) => i + 1));
  const excluded = rng.chance(0.35) ? picks.splice(0, rng.int(1, 2)).sort((a, b) => a - b) : [];
  const exdate = excluded.length
    ? [`EXDATE${params(start)}:${excluded.map((k) => value(shift(start, k))).join(",")}`]
    : [];
  const overrides = picks.slice(0, rng.int(1, 3)).map((k) => {
    const moved = start.tz ? rng.pick([-60, 60, 120, 180]) : 1440;
    const s = shift(start, k);
    const e = shift(end, k);
    return [
      "BEGIN:VEVENT",
      `UID:${uid}`,
      `DTSTAMP:${stamp(rng)}`,
      dt("RECURRENCE-ID", s),
      dt("DTSTART", { ...s, at: addMinutes(s.at, moved) }),
      dt("DTEND", { ...e, at: addMinutes(e.at, moved) }),
      `SUMMARY:${escapeText(rng.chance(0.5) ? `${summary} (verschoben)` : summary)}`,
      ...(rng.chance(0.3) ? [`LOCATION:${escapeText(rng.pick(LOCATIONS))}`] : []),
      "SEQUENCE:1",
      "END:VEVENT",
    ];
  });
  return { rrule, exdate, overrides };
}

export function eventLines(rng: Rng, isSeries: boolean): { uid: string; lines: string[] } {
  const uid = uuid(rng);
  const allDay = rng.chance(isSeries ? 0.1 : 0.15);
  const { start, end } = slot(rng, allDay, isSeries);
  const summary = rng.pick(SUMMARIES);
  const created = stamp(rng);
  const master = ["BEGIN:VEVENT", `UID:${uid}`, `DTSTAMP:${created}`, `CREATED:${created}`];
  master.push(`LAST-MODIFIED:${created}`, "SEQUENCE:0", `SUMMARY:${escapeText(summary)}`);
  master.push(dt("DTSTART", start), dt("DTEND", end));
  const rec = isSeries ? recurrence(rng, start, end, uid, summary) : undefined;
  if (rec) master.push(rec.rrule, ...rec.exdate);
  if (rng.chance(0.5)) master.push(`LOCATION:${escapeText(rng.pick(LOCATIONS))}`);
  if (rng.chance(0.3)) {
    const text = Array.from({ length: rng.int(2, 4) }, () => rng.pick(DESCRIPTION_LINES)).join("\n");
    master.push(`DESCRIPTION:${escapeText(text)}`);
  }
  if (rng.chance(0.3)) master.push(...people(rng));
  if (rng.chance(0.2)) master.push(`CATEGORIES:${rng.shuffle(CATEGORIES).slice(0, rng.int(1, 2)).join(",")}`);
  if (rng.chance(0.1)) master.push(`URL:https://meet.example.com/${rng.hex(10).toLowerCase()}`);
  master.push(allDay ? "TRANSP:TRANSPARENT" : "TRANSP:OPAQUE", "STATUS:CONFIRMED");
  if (rng.chance(0.2)) master.push("X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC");
  if (rng.chance(0.4)) for (let i = rng.int(1, 2); i > 0; i--) master.push(...alarm(rng, allDay));
  master.push("END:VEVENT");

  const zones = new Set([start.tz, end.tz].filter((z): z is Tzid => z !== undefined));
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Cradle bench//Generated//EN",
    "CALSCALE:GREGORIAN",
  ];
  for (const z of TZIDS) if (zones.has(z)) lines.push(...ZONES[z]);
  lines.push(...master, ...(rec?.overrides.flat() ?? []), "END:VCALENDAR");
  return { uid, lines };
}

/** Writes `count` events to `dir` as UID.ics files, every tenth a series; same seed, same bytes. */
export async function generateEventVdir(dir: string, count: number, seed: number): Promise<GeneratedEvents> {
  await mkdir(dir, { recursive: true });
  const rng = new Rng(seed);
  const out: GeneratedEvents = { uids: [], series: [], bytes: 0 };
  const files: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    const isSeries = i % 10 === 0;
    const { uid, lines } = eventLines(rng, isSeries);
    const text = toText(lines);
    out.uids.push(uid);
    if (isSeries) out.series.push(uid);
    out.bytes += Buffer.byteLength(text);
    files.push([join(dir, `${uid}.ics`), text]);
  }
  for (let i = 0; i < files.length; i += 200)
    await Promise.all(files.slice(i, i + 200).map(([path, text]) => writeFile(path, text)));
  return out;
}
