/** Helpers shared by the calendar tests: the fixture files and the normalized form the laws compare. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ParsedCalendar,
  parseCalendar,
  serializeCalendar,
} from "../../../src/adapters/calendars/ical.js";
import type { CalendarObject, ICalComponent } from "../../../src/adapters/calendars/model.js";

export const FIXTURES = fileURLToPath(new URL("../../fixtures/ical/", import.meta.url));

export function icsFiles(dir = FIXTURES): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return icsFiles(path);
      return name.endsWith(".ics") ? [path] : [];
    });
}

export const fixtureName = (path: string) => relative(FIXTURES, path);
export const readFixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

/** PRODID is added by the writer when the source had none (RFC 5545 requires one), so laws leave it out. */
function withoutProdId(object: CalendarObject): CalendarObject {
  return { ...object, calendarProps: object.calendarProps.filter((p) => p.name !== "prodid") };
}

export function normalized(parsed: ParsedCalendar) {
  return {
    objects: parsed.objects.map(withoutProdId),
    header: { ...parsed.header, props: parsed.header.props.filter((p) => p.name !== "prodid") },
  };
}

export function roundTrip(parsed: ParsedCalendar, source = "round-trip.ics"): ParsedCalendar {
  return parseCalendar(serializeCalendar(parsed.objects, { header: parsed.header }), source);
}

/** Whether the master has anything that makes more than one instance. */
export function isRecurring(object: CalendarObject): boolean {
  const master: ICalComponent | undefined = object.master;
  return master?.props.some((p) => ["rrule", "rdate"].includes(p.name)) ?? false;
}

export function dtstartOf(object: CalendarObject): string | undefined {
  const value = object.master?.props.find((p) => p.name === "dtstart")?.values[0];
  return typeof value === "string" ? value : undefined;
}
