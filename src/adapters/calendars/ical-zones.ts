/**
 * Time zones: which TZIDs a component uses, which VTIMEZONE describes each, and instants.
 */
import ICAL from "ical.js";
import { generateVTimezone } from "./ical-tzgen.js";
import type { ICalComponent, ICalProp } from "./model.js";

export type JCal = [string, unknown[][], unknown[]];

export const propToJCal = (p: ICalProp): unknown[] => [p.name, p.params, p.type, ...p.values];

export function toJCal(c: ICalComponent): JCal {
  return [c.name, c.props.filter((p) => p.type !== "x-unparsed").map(propToJCal), c.components.map(toJCal)];
}

export const firstProp = (c: ICalComponent, name: string): ICalProp | undefined =>
  c.props.find((p) => p.name === name);

export function textValue(c: ICalComponent, name: string): string | undefined {
  const value = firstProp(c, name)?.values[0];
  return typeof value === "string" ? value : undefined;
}

/** Every TZID parameter in the component and its sub-components, in order of appearance. */
export function tzidsUsed(components: ICalComponent[], into = new Set<string>()): Set<string> {
  for (const c of components) {
    for (const p of c.props) {
      const tzid = p.params.tzid;
      if (typeof tzid === "string") into.add(tzid);
    }
    tzidsUsed(c.components, into);
  }
  return into;
}

/** Why a VTIMEZONE cannot be used, or undefined when it looks sound. */
export function vtimezoneProblem(zone: ICalComponent): string | undefined {
  if (!textValue(zone, "tzid")) return "VTIMEZONE has no TZID";
  const observances = zone.components.filter((c) => c.name === "standard" || c.name === "daylight");
  if (observances.length === 0) return "VTIMEZONE has no STANDARD or DAYLIGHT part";
  for (const o of observances)
    for (const needed of ["dtstart", "tzoffsetto", "tzoffsetfrom"])
      if (!firstProp(o, needed))
        return `VTIMEZONE ${o.name.toUpperCase()} part lacks ${needed.toUpperCase()}`;
  return undefined;
}

/** The object's own VTIMEZONE for a TZID, else one generated from the IANA zone of that name. */
export function vtimezoneFor(tzid: string, own: Record<string, ICalComponent>): ICalComponent | undefined {
  return own[tzid] ?? generateVTimezone(tzid);
}

/**
 * ical.js zones by the text of their VTIMEZONE. Every file of a vdir carries its own copy of the
 * same few zones, and an ical.js zone expands its rules from the first year on the first lookup:
 * sharing one zone per distinct definition saves that expansion for all but the first file.
 */
const zonesByText = new Map<string, ICAL.Timezone>();
const textOf = new WeakMap<ICalComponent, string>();

function icalZone(tzid: string, own: Record<string, ICalComponent>): ICAL.Timezone | undefined {
  const vtimezone = vtimezoneFor(tzid, own);
  if (!vtimezone || vtimezoneProblem(vtimezone)) return undefined;
  let key = textOf.get(vtimezone);
  if (key === undefined) {
    key = JSON.stringify(vtimezone);
    textOf.set(vtimezone, key);
  }
  let zone = zonesByText.get(key);
  if (!zone) {
    zone = new ICAL.Timezone(new ICAL.Component(toJCal(vtimezone)));
    zonesByText.set(key, zone);
  }
  return zone;
}

/** An ICAL.Time as a UTC instant string; floating times and dates count as UTC (see model.ts). */
export function instantOf(time: ICAL.Time): string {
  return new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
}

/** A date or date-time value of a property as an instant, resolving its TZID. */
export function valueInstant(prop: ICalProp, value: unknown, own: Record<string, ICalComponent>): string {
  const time = ICAL.Time.fromString(String(value), undefined);
  const tzid = prop.params.tzid;
  if (typeof tzid === "string" && !time.isDate) {
    const zone = icalZone(tzid, own);
    if (zone) time.zone = zone;
  }
  return instantOf(time);
}

/** The override key of a RECURRENCE-ID property. */
export function recurrenceKey(prop: ICalProp, own: Record<string, ICalComponent>): string {
  return valueInstant(prop, prop.values[0], own);
}

/**
 * Runs `fn` with the object's zones registered in ical.js' global TimezoneService, which is
 * where ical.js looks TZIDs up while expanding, then puts back whatever was there before.
 */
export function withZones<T>(tzids: Iterable<string>, own: Record<string, ICalComponent>, fn: () => T): T {
  const saved = new Map<string, ICAL.Timezone | null>();
  for (const tzid of tzids) {
    const zone = icalZone(tzid, own);
    if (!zone) continue;
    saved.set(tzid, ICAL.TimezoneService.has(tzid) ? (ICAL.TimezoneService.get(tzid) ?? null) : null);
    ICAL.TimezoneService.register(zone, tzid);
  }
  try {
    return fn();
  } finally {
    for (const [tzid, previous] of saved) {
      if (previous) ICAL.TimezoneService.register(previous, tzid);
      else ICAL.TimezoneService.remove(tzid);
    }
  }
}
