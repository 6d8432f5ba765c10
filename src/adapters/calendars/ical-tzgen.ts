/**
 * VTIMEZONEs for IANA zones, made from the runtime's own zone data (Node's ICU via Intl).
 *
 * ical.js ships no zone data, and a bundled table would go stale. Intl knows every IANA zone,
 * so we probe its UTC offsets through a reference year, find the transitions, and describe them
 * as yearly rules ("last Sunday of March at 02:00"), as Evolution and tzurl.org do. Rules are
 * checked against the two following years; a zone whose transitions do not follow such a rule
 * gets explicit RDATEs for 2020-2040 instead. Only current rules are described (DTSTART 1970),
 * which is what every mainstream writer does too.
 */
import type { ICalComponent, ICalProp } from "./model.js";

/** Fixed so that output never depends on when it runs. */
const REFERENCE_YEAR = 2026;
const RDATE_YEARS = [2020, 2040] as const;
const DAY = 86_400_000;
const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

interface Transition {
  /** Local wall-clock time just before the change, as a UTC-based Date. */
  local: Date;
  from: number;
  to: number;
}

function offsetReader(tzid: string): ((ms: number) => number) | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone: tzid, timeZoneName: "longOffset" });
  } catch {
    return undefined;
  }
  return (ms) => {
    const name = format.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "";
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  };
}

function transitionsIn(year: number, offsetAt: (ms: number) => number): Transition[] {
  const out: Transition[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY) {
    const from = offsetAt(t);
    if (offsetAt(t + DAY) === from) continue;
    let [low, high] = [t, t + DAY];
    while (high - low > 60_000) {
      const mid = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offsetAt(mid) === from) low = mid;
      else high = mid;
    }
    out.push({ local: new Date(high + from * 60_000), from, to: offsetAt(high) });
  }
  return out;
}

/** "-1SU" or "2SU": the weekday's place in its month, counted from the end in the last week. */
function weekdayRule(local: Date): string {
  const day = local.getUTCDate();
  const monthLength = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
  const nth = day + 7 > monthLength ? -1 : Math.ceil(day / 7);
  return `${nth}${WEEKDAYS[local.getUTCDay()]}`;
}

const ruleKey = (t: Transition) =>
  `${t.local.getUTCMonth()}|${weekdayRule(t.local)}|${t.local.toISOString().slice(11, 16)}|${t.from}|${t.to}`;

/** The first date in `year` matching a month and weekday rule, at the transition's wall-clock time. */
function firstMatch(year: number, template: Date): Date {
  const rule = weekdayRule(template);
  for (let day = 1; day <= 31; day++) {
    const date = new Date(
      Date.UTC(year, template.getUTCMonth(), day, template.getUTCHours(), template.getUTCMinutes()),
    );
    if (date.getUTCMonth() === template.getUTCMonth() && weekdayRule(date) === rule) return date;
  }
  return template;
}

const localString = (d: Date) => d.toISOString().slice(0, 19);

function utcOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${minutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function observance(from: number, to: number, start: string, extra: ICalProp[]): ICalComponent {
  return {
    name: to > from ? "daylight" : "standard",
    props: [
      { name: "dtstart", params: {}, type: "date-time", values: [start] },
      { name: "tzoffsetfrom", params: {}, type: "utc-offset", values: [utcOffset(from)] },
      { name: "tzoffsetto", params: {}, type: "utc-offset", values: [utcOffset(to)] },
      ...extra,
    ],
    components: [],
  };
}

function ruleObservance(t: Transition): ICalComponent {
  const rrule = { freq: "YEARLY", bymonth: t.local.getUTCMonth() + 1, byday: weekdayRule(t.local) };
  const start = localString(firstMatch(1970, t.local));
  return observance(t.from, t.to, start, [{ name: "rrule", params: {}, type: "recur", values: [rrule] }]);
}

function rdateObservances(offsetAt: (ms: number) => number): ICalComponent[] {
  const byChange = new Map<string, Transition[]>();
  for (let year = RDATE_YEARS[0]; year <= RDATE_YEARS[1]; year++)
    for (const t of transitionsIn(year, offsetAt)) {
      const key = `${t.from}|${t.to}`;
      byChange.set(key, [...(byChange.get(key) ?? []), t]);
    }
  return [...byChange.values()].map((list) => {
    const first = list[0] as Transition;
    const dates = list.slice(1).map((t) => localString(t.local));
    const rdate: ICalProp[] = dates.length
      ? [{ name: "rdate", params: {}, type: "date-time", values: dates }]
      : [];
    return observance(first.from, first.to, localString(first.local), rdate);
  });
}

const generated = new Map<string, ICalComponent | undefined>();

/** A VTIMEZONE for an IANA zone name, or undefined when the runtime does not know the name. */
export function generateVTimezone(tzid: string): ICalComponent | undefined {
  if (generated.has(tzid)) return generated.get(tzid);
  const offsetAt = offsetReader(tzid);
  let zone: ICalComponent | undefined;
  if (offsetAt) {
    const years = [0, 1, 2].map((n) => transitionsIn(REFERENCE_YEAR + n, offsetAt));
    const keys = years.map((list) => list.map(ruleKey).join(","));
    const regular = keys.every((k) => k === keys[0]);
    const reference = years[0] ?? [];
    const offset = offsetAt(Date.UTC(REFERENCE_YEAR, 0, 1));
    const observances =
      reference.length === 0
        ? [observance(offset, offset, "1970-01-01T00:00:00", [])]
        : regular
          ? reference.map(ruleObservance)
          : rdateObservances(offsetAt);
    zone = {
      name: "vtimezone",
      props: [{ name: "tzid", params: {}, type: "text", values: [tzid] }],
      components: observances,
    };
  }
  generated.set(tzid, zone);
  return zone;
}
