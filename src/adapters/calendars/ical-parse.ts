/**
 * iCalendar text to CalendarObjects: components grouped by UID, master and overrides together.
 *
 * Error policy (the contact rules: report and skip, never crash, never lose silently):
 * - a malformed line, an unbalanced BEGIN/END or a date that is not a date poisons the whole
 *   UID group: the object is skipped and reported, since writing it back without the bad part
 *   would delete that part elsewhere;
 * - an RRULE ical.js cannot read, a TZID with no usable VTIMEZONE and no IANA zone of that name,
 *   and an invalid VTIMEZONE are reported but the object is kept (the rule verbatim, times then
 *   read as floating), because nothing is lost by carrying it;
 * - a TZID without VTIMEZONE that names an IANA zone is no error: one is generated (ical-tzgen.ts)
 *   and kept in the object, so the object is the same before and after a round trip;
 * - VERSION other than 2.0 (vCalendar 1.0) is reported once per item and the item skipped.
 */
import type { ReadError } from "../../core/endpoint.js";
import { type Problem, type RawComponent, readComponents } from "./ical-lines.js";
import { generateVTimezone } from "./ical-tzgen.js";
import { mergeCalendarProps } from "./ical-write.js";
import { firstProp, recurrenceKey, textValue, tzidsUsed, vtimezoneProblem } from "./ical-zones.js";
import type { CalendarHeader, CalendarObject, ICalComponent, ICalProp } from "./model.js";

export interface ParsedCalendar {
  objects: CalendarObject[];
  errors: ReadError[];
  /** Calendar properties and root components outside any object; pass back to serializeCalendar. */
  header: CalendarHeader;
}

/** Root components that are calendar data; others (X-...) without UID go to the header. */
const ITEM_NAMES = new Set(["vevent", "vtodo", "vjournal", "vfreebusy", "vavailability"]);

interface Group {
  uid: string;
  line: number;
  parts: RawComponent[];
  calendarProps: ICalProp[];
  problems: Problem[];
}

function allProblems(c: RawComponent): Problem[] {
  return [...c.problems, ...c.components.flatMap(allProblems)];
}

/** Drops the reader's bookkeeping so that objects compare and serialize as plain data. */
function plain(c: RawComponent): ICalComponent {
  return { name: c.name, props: c.props, components: c.components.map(plain) };
}

export function parseCalendar(text: string, source: string): ParsedCalendar {
  const { roots, stray } = readComponents(text);
  const at = (line: number) => `${source}:${line}`;
  const errors: ReadError[] = stray.map((p) => ({ where: at(p.line), message: p.message }));
  const header: CalendarHeader = { props: [], components: [] };
  const zones = new Map<string, ICalComponent>();
  const groups = new Map<string, Group>();
  const anonymous: Group[] = [];

  for (const root of roots) {
    if (root.name !== "vcalendar") {
      errors.push({ where: at(root.line), message: `${root.name.toUpperCase()} outside VCALENDAR, skipped` });
      continue;
    }
    for (const p of root.problems) errors.push({ where: at(p.line), message: p.message });
    const version = textValue(root, "version");
    const calendarProps = root.props.filter((p) => p.name !== "version");
    header.props = mergeCalendarProps([header.props, calendarProps]);
    for (const child of root.components) {
      const uid = textValue(child, "uid");
      if (version !== undefined && version !== "2.0") {
        const item = uid ? ` (UID ${uid})` : "";
        errors.push({
          where: at(child.line),
          message: `unsupported calendar version ${version} (vCalendar 1.0?): ${child.name.toUpperCase()}${item} skipped`,
        });
      } else if (child.name === "vtimezone") {
        const tzid = textValue(child, "tzid");
        const problem = allProblems(child)[0]?.message ?? vtimezoneProblem(child);
        if (problem || tzid === undefined) {
          errors.push({
            where: at(child.line),
            message: `invalid VTIMEZONE ${tzid ?? ""}: ${problem}; kept, not used`,
          });
          header.components.push(plain(child));
        } else if (!zones.has(tzid)) zones.set(tzid, plain(child));
      } else if (uid !== undefined || ITEM_NAMES.has(child.name)) {
        const known = uid === undefined ? undefined : groups.get(uid);
        const group: Group = known ?? {
          uid: uid ?? "",
          line: child.line,
          parts: [],
          calendarProps,
          problems: [],
        };
        group.parts.push(child);
        group.problems.push(...allProblems(child));
        if (uid === undefined) anonymous.push(group);
        else groups.set(uid, group);
      } else header.components.push(plain(child));
    }
  }

  const objects: CalendarObject[] = [];
  const used = new Set<string>();
  for (const group of [...groups.values(), ...anonymous]) {
    const object = buildObject(group, zones, (line, message) => errors.push({ where: at(line), message }));
    if (object) {
      objects.push(object);
      for (const tzid of Object.keys(object.timezones)) used.add(tzid);
    }
  }
  for (const [tzid, zone] of zones) if (!used.has(tzid)) header.components.push(zone);
  errors.sort((a, b) => lineOf(a.where) - lineOf(b.where));
  return { objects, errors, header };
}

function lineOf(where: string): number {
  return Number(where.slice(where.lastIndexOf(":") + 1));
}

type Report = (line: number, message: string) => void;

function buildObject(
  group: Group,
  zones: Map<string, ICalComponent>,
  report: Report,
): CalendarObject | undefined {
  const label = group.uid ? `UID ${group.uid}` : "item without UID";
  const fatal = group.problems.filter((p) => !p.recoverable);
  for (const p of group.problems) {
    const outcome = fatal.length ? "; item skipped" : "";
    report(p.line, `${label}: ${p.message}${outcome}`);
  }
  if (fatal.length) return undefined;

  const timezones: Record<string, ICalComponent> = {};
  for (const tzid of tzidsUsed(group.parts)) {
    const zone = zones.get(tzid) ?? generateVTimezone(tzid);
    if (zone) timezones[tzid] = zone;
    else
      report(
        group.line,
        `${label}: TZID "${tzid}" has no VTIMEZONE and is no known zone; times read as floating`,
      );
  }

  const object: CalendarObject = {
    uid: group.uid,
    kind: group.parts[0]?.name ?? "vevent",
    overrides: {},
    orphanOverrides: false,
    timezones,
    calendarProps: group.calendarProps,
  };
  for (const part of group.parts) {
    const recurrenceId = firstProp(part, "recurrence-id");
    if (!recurrenceId) {
      if (object.master)
        report(part.line, `${label}: a second ${part.name.toUpperCase()} without RECURRENCE-ID; skipped`);
      else {
        object.master = plain(part);
        object.kind = part.name;
      }
      continue;
    }
    const key = recurrenceKey(recurrenceId, timezones);
    if (object.overrides[key]) report(part.line, `${label}: a second override for ${key}; skipped`);
    else object.overrides[key] = plain(part);
  }
  object.orphanOverrides = !object.master;
  return object;
}
