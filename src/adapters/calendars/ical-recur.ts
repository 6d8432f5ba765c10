/**
 * Expanding a series into instances with ical.js: RRULE, RDATE and EXDATE through
 * ICAL.RecurExpansion, then overrides matched by their normalized RECURRENCE-ID.
 *
 * Overrides are matched by our own UTC key rather than ical.js' exception table, which keys by
 * local time string and so misses a UTC RECURRENCE-ID on a TZID series.
 */
import ICAL from "ical.js";
import { firstProp, instantOf, toJCal, tzidsUsed, valueInstant, withZones } from "./ical-zones.js";
import type { CalendarObject, ICalComponent, Occurrence } from "./model.js";

/** Stops a runaway rule (FREQ=SECONDLY without end) from hanging a test. */
const MAX_INSTANCES = 100_000;

function startOf(component: ICalComponent, own: CalendarObject["timezones"]): string | undefined {
  const dtstart = firstProp(component, "dtstart");
  return dtstart ? valueInstant(dtstart, dtstart.values[0], own) : undefined;
}

function seriesKeys(master: ICalComponent, fromMs: number, toMs: number): string[] {
  const component = new ICAL.Component(toJCal(master));
  const dtstart = component.getFirstPropertyValue("dtstart");
  if (!(dtstart instanceof ICAL.Time)) return [];
  const expansion = new ICAL.RecurExpansion({ component, dtstart });
  const keys: string[] = [];
  for (let n = 0; n < MAX_INSTANCES; n++) {
    const value: unknown = expansion.next();
    if (!value) break;
    // An RDATE;VALUE=PERIOD instance comes back as a Period.
    const next = value instanceof ICAL.Period ? value.start : (value as ICAL.Time);
    const ms = next.toUnixTime() * 1000;
    if (ms >= toMs) break;
    if (ms >= fromMs) keys.push(instantOf(next));
  }
  return keys;
}

/**
 * The instances starting in [from, to), sorted by start. An override moves or changes its
 * instance; an override whose RECURRENCE-ID the series does not produce (or one without a
 * master) still counts, as RFC 5545 lets it add an instance. An RRULE kept unparsed is ignored.
 */
export function occurrences(object: CalendarObject, from: Date, to: Date): Occurrence[] {
  const [fromMs, toMs] = [from.getTime(), to.getTime()];
  const own = object.timezones;
  const parts = [...(object.master ? [object.master] : []), ...Object.values(object.overrides)];
  return withZones(tzidsUsed(parts), own, () => {
    const keys = object.master ? seriesKeys(object.master, fromMs, toMs) : [];
    const result: Occurrence[] = keys.map((key) => {
      const override = object.overrides[key];
      const start = override ? (startOf(override, own) ?? key) : key;
      return { recurrenceId: key, start, overridden: override !== undefined };
    });
    for (const [key, override] of Object.entries(object.overrides)) {
      if (keys.includes(key)) continue;
      const start = startOf(override, own) ?? key;
      const ms = Date.parse(start);
      if (ms >= fromMs && ms < toMs) result.push({ recurrenceId: key, start, overridden: true });
    }
    return result
      .filter((o) => {
        const ms = Date.parse(o.start);
        return ms >= fromMs && ms < toMs;
      })
      .sort((a, b) => a.start.localeCompare(b.start) || a.recurrenceId.localeCompare(b.recurrenceId));
  });
}
