import type { SyncItem } from "../../core/endpoint.js";
import type { Fields } from "../../core/fields.js";

/** An event (or task, or journal) as `cradle show calendars` prints it. */
export interface EventSummary {
  uid: string;
  summary: string;
  kind: string;
  /** DTSTART as written (with its TZID, if any). */
  start?: string;
  tzid?: string;
  recurring: boolean;
  /** RECURRENCE-ID instants of the occurrences edited on their own. */
  overrides: string[];
}

export function describeEvent(item: SyncItem): EventSummary {
  const f: Fields = item.fields;
  const start = prop(f.scalars.DTSTART);
  const overrides = [
    ...new Set(
      [...Object.keys(f.scalars), ...Object.keys(f.texts), ...Object.keys(f.sets)].flatMap((k) =>
        k.indexOf("|") > 0 ? [k.slice(0, k.indexOf("|"))] : [],
      ),
    ),
  ].sort();
  const summary: EventSummary = {
    uid: item.uid,
    summary: item.label,
    kind: (f.scalars["@kind"] ?? "vevent").toUpperCase(),
    recurring: "RRULE" in f.scalars || Object.keys(f.sets.entries ?? {}).some((k) => k.startsWith("RDATE:")),
    overrides,
  };
  if (start) summary.start = String(start.values[0]);
  const tzid = start?.params.tzid;
  if (typeof tzid === "string") summary.tzid = tzid;
  return summary;
}

function prop(json: string | undefined): { params: Record<string, unknown>; values: unknown[] } | undefined {
  return json ? JSON.parse(json) : undefined;
}
