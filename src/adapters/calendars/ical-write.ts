/**
 * CalendarObjects to one VCALENDAR: VERSION:2.0, a PRODID, a VTIMEZONE for every TZID used,
 * CRLF line ends and lines folded at 75 octets.
 *
 * VTIMEZONEs come from the object's own (the source's), else from a header component with that
 * TZID, else are generated from the IANA zone (ical-tzgen.ts). A TZID that is none of these gets
 * no VTIMEZONE; the parser has already reported it. Two objects with different VTIMEZONEs under one
 * TZID cannot both be written into one VCALENDAR: the first object's wins.
 */
import ICAL from "ical.js";
import { generateVTimezone } from "./ical-tzgen.js";
import { propToJCal, textValue, tzidsUsed } from "./ical-zones.js";
import type { CalendarHeader, CalendarObject, ICalComponent, ICalProp } from "./model.js";

export interface SerializeOptions {
  /** Calendar properties and spare root components, as parseCalendar returned them. */
  header?: CalendarHeader;
  /** Replaces the PRODID that came with the objects. */
  prodId?: string;
}

export const DEFAULT_PRODID = "-//Cradle//Cradle Calendars//EN";
const MAX_OCTETS = 75;
const CRLF = "\r\n";

/** Folds after at most 75 octets, continuation lines counting their leading space, never inside a character. */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let piece = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    const limit = pieces.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      pieces.push(piece);
      piece = "";
      octets = 0;
    }
    piece += char;
    octets += size;
  }
  pieces.push(piece);
  return pieces.join(`${CRLF} `);
}

function propLine(prop: ICalProp): string {
  if (prop.type === "x-unparsed") return String(prop.values[0] ?? "");
  return ICAL.stringify.property(propToJCal(prop) as never, ICAL.design.icalendar, true);
}

function writeComponent(c: ICalComponent, out: string[]): void {
  out.push(`BEGIN:${c.name.toUpperCase()}`);
  for (const p of c.props) out.push(propLine(p));
  for (const sub of c.components) writeComponent(sub, out);
  out.push(`END:${c.name.toUpperCase()}`);
}

/**
 * Many VCALENDARs' properties as one: all of the first's, then from each later one only the
 * properties whose name none before it had.
 */
export function mergeCalendarProps(lists: ICalProp[][]): ICalProp[] {
  const merged: ICalProp[] = [];
  for (const list of lists) {
    const seen = new Set(merged.map((p) => p.name));
    merged.push(...list.filter((p) => !seen.has(p.name)));
  }
  return merged;
}

function calendarProps(objects: CalendarObject[], options: SerializeOptions): ICalProp[] {
  const props = mergeCalendarProps(
    options.header ? [options.header.props] : objects.map((o) => o.calendarProps),
  );
  const rest = props.filter((p) => p.name !== "version" && p.name !== "prodid");
  const kept = props.find((p) => p.name === "prodid");
  const prodId = options.prodId ?? (typeof kept?.values[0] === "string" ? kept.values[0] : DEFAULT_PRODID);
  return [{ ...(kept ?? { params: {}, type: "text" }), name: "prodid", values: [prodId] }, ...rest];
}

const objectParts = (o: CalendarObject): ICalComponent[] => [
  ...(o.master ? [o.master] : []),
  ...Object.keys(o.overrides)
    .sort()
    .map((key) => o.overrides[key] as ICalComponent),
];

/** One VTIMEZONE per TZID used anywhere, in order of first use. */
function timezonesFor(objects: CalendarObject[], spare: ICalComponent[]): ICalComponent[] {
  const used = tzidsUsed([...objects.flatMap(objectParts), ...spare]);
  const spareByTzid = new Map(
    spare.filter((c) => c.name === "vtimezone").map((c) => [textValue(c, "tzid"), c]),
  );
  const zones: ICalComponent[] = [];
  for (const tzid of used) {
    const zone =
      objects.find((o) => o.timezones[tzid])?.timezones[tzid] ??
      spareByTzid.get(tzid) ??
      generateVTimezone(tzid);
    if (zone) zones.push(zone);
  }
  return zones;
}

export function serializeCalendar(objects: CalendarObject[], options: SerializeOptions = {}): string {
  const spare = options.header?.components ?? [];
  const out = ["BEGIN:VCALENDAR", "VERSION:2.0", ...calendarProps(objects, options).map(propLine)];
  const zones = timezonesFor(objects, spare);
  for (const zone of zones) writeComponent(zone, out);
  for (const c of spare) if (!zones.includes(c)) writeComponent(c, out);
  for (const object of objects) for (const part of objectParts(object)) writeComponent(part, out);
  out.push("END:VCALENDAR");
  return out.map(foldLine).join(CRLF) + CRLF;
}
