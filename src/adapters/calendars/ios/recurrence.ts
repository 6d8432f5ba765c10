/**
 * RRULE (a jCal recur value) ↔ a Recurrence row.
 *
 * frequency: 1 DAILY, 2 WEEKLY, 3 MONTHLY, 4 YEARLY. specifier: the BY* parts in Calendar's own
 * spelling, ";"-separated: D= weekdays with an ordinal ("0MO" every Monday, "+2TU" the second
 * Tuesday, "-1FR" the last Friday), M= BYMONTHDAY, O= BYMONTH, S= BYSETPOS, Y= BYYEARDAY,
 * W= BYWEEKNO. week_start: 1 Monday .. 7 Sunday, 0 unset; Monday is RFC 5545's default, for which
 * iCalendar writes no WKST, so 1 reads as no WKST and is written back as 0. UNTIL is end_date,
 * COUNT is count.
 *
 * The Recurrence table has no place for HOURLY/MINUTELY/SECONDLY or BYHOUR/BYMINUTE/BYSECOND:
 * such a rule is not stored (the endpoint is lossy; see docs/design.md).
 */
import type { RecurrenceRecord } from "./record.js";

const FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"];
const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
/** Specifier keys in the order written, with the recur part each holds (D is BYDAY). */
const NUMERIC_PARTS: [string, string][] = [
  ["M", "bymonthday"],
  ["O", "bymonth"],
  ["S", "bysetpos"],
  ["Y", "byyearday"],
  ["W", "byweekno"],
];
const UNSTORABLE = ["byhour", "byminute", "bysecond"];

export type Recur = Record<string, unknown>;

const list = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** "MO" → "0MO", "2TU" → "+2TU", "-1FR" stays. */
function toDayToken(day: string): string {
  const m = /^([+-]?\d*)([A-Z]{2})$/.exec(day.toUpperCase());
  if (!m || !WEEKDAYS.includes(m[2] as string)) throw new Error(`BYDAY value "${day}" is not a weekday`);
  const ordinal = Number(m[1] || 0);
  return `${ordinal > 0 ? `+${ordinal}` : ordinal}${m[2]}`;
}

function fromDayToken(token: string): string {
  const m = /^([+-]?\d+)?([A-Z]{2})$/.exec(token);
  if (!m || !WEEKDAYS.includes(m[2] as string)) throw new Error(`specifier day "${token}" is not a weekday`);
  const ordinal = Number(m[1] ?? 0);
  return ordinal === 0 ? (m[2] as string) : `${ordinal}${m[2]}`;
}

/**
 * The row for a rule, or undefined when the table cannot hold it. `until` converts the UNTIL
 * value into the event's time encoding.
 */
export function recurToRecord(recur: Recur, until: (value: string) => number): RecurrenceRecord | undefined {
  const frequency = FREQUENCIES.indexOf(String(recur.freq ?? "").toUpperCase()) + 1;
  if (frequency === 0 || UNSTORABLE.some((k) => k in recur)) return undefined;
  const specifier: string[] = [];
  const days = list(recur.byday).map((d) => toDayToken(String(d)));
  if (days.length > 0) specifier.push(`D=${days.join(",")}`);
  for (const [key, part] of NUMERIC_PARTS) {
    const values = list(recur[part]).map(Number);
    if (values.length > 0) specifier.push(`${key}=${values.join(",")}`);
  }
  return {
    frequency,
    interval: Number(recur.interval ?? 1) || 1,
    count: Number(recur.count ?? 0) || 0,
    endDate: typeof recur.until === "string" ? until(recur.until) : null,
    specifier: specifier.join(";"),
    weekStart: weekStartOf(recur.wkst),
  };
}

/** jCal from ical.js gives WKST as a number, 1 Sunday .. 7 Saturday; text gives "MO". */
function weekStartOf(wkst: unknown): number {
  if (typeof wkst === "string") return WEEKDAYS.indexOf(wkst.toUpperCase()) + 1;
  if (typeof wkst === "number" && wkst >= 1 && wkst <= 7) return ((wkst + 5) % 7) + 1;
  return 0;
}

/** The jCal recur value of a row; `until` turns end_date back into an UNTIL value. */
export function recordToRecur(record: RecurrenceRecord, until: (seconds: number) => string): Recur {
  const freq = FREQUENCIES[record.frequency - 1];
  if (!freq) throw new Error(`Recurrence frequency ${record.frequency} is not 1-4`);
  const recur: Recur = { freq };
  if (record.interval > 1) recur.interval = record.interval;
  if (record.count > 0) recur.count = record.count;
  else if (record.endDate !== null) recur.until = until(record.endDate);
  for (const token of record.specifier.split(";").filter(Boolean)) {
    const [key, values = ""] = token.split("=");
    const items = values.split(",").filter(Boolean);
    if (key === "D") recur.byday = items.map(fromDayToken);
    else {
      const part = NUMERIC_PARTS.find(([k]) => k === key)?.[1];
      if (!part) throw new Error(`Recurrence specifier part "${token}" is not known`);
      recur[part] = items.map(Number);
    }
  }
  const wkst = WEEKDAYS[record.weekStart - 1];
  if (wkst) recur.wkst = wkst;
  return recur;
}
