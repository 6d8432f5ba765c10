/**
 * CalendarObject ↔ Fields, the shape the merge engine works on. One record per UID: the master
 * and its overrides travel together (RFC 4791 §4.1).
 *
 * - The master's single properties are scalars ("SUMMARY", "DTSTART", "RRULE"...), as canonical
 *   jCal JSON; DESCRIPTION without parameters is a text, merged per character.
 * - Repeated properties (ATTENDEE, CATEGORIES, EXDATE, RDATE, ATTACH...) are set entries keyed by
 *   normalized value: EXDATE and RDATE by the instant they name, so "20260105T090000" in Berlin and
 *   "20260105T080000Z" are one date; each of their values is an entry of its own, so exclusions
 *   added on two sides both survive.
 * - Sub-components (VALARM) are set entries keyed by their content.
 * - Each override is a field group "KEY|..." (KEY = its RECURRENCE-ID as an instant), so a master
 *   edit and an occurrence edit merge, and an override is deleted or kept as a whole.
 * - DTSTAMP and SEQUENCE are not merged: writers set them (DTSTAMP is the time of writing,
 *   SEQUENCE is bumped on every update). CREATED and LAST-MODIFIED travel in the hint set
 *   "@stamps", settled silently, since every app rewrites them (vdirsyncer leaves them out of
 *   its hash for the same reason).
 * - VTIMEZONEs are the set "@timezones", by TZID, settled silently.
 */
import type { Fields } from "../../core/fields.js";
import { sha256 } from "../../core/sha256.js";
import { valueInstant } from "./ical-zones.js";
import type { CalendarObject, ICalComponent, ICalProp } from "./model.js";

const NOT_MERGED = new Set(["UID", "DTSTAMP", "SEQUENCE"]);
/** Kept, but as hints: every editing app rewrites them, so a difference is never a conflict. */
const STAMPS = new Set(["CREATED", "LAST-MODIFIED"]);
const MULTI = new Set([
  "ATTENDEE",
  "ATTACH",
  "CATEGORIES",
  "COMMENT",
  "CONTACT",
  "EXDATE",
  "RDATE",
  "RELATED-TO",
  "RESOURCES",
  "REQUEST-STATUS",
]);
const PER_VALUE = new Set(["EXDATE", "RDATE", "CATEGORIES"]);
const INSTANT_VALUED = new Set(["EXDATE", "RDATE"]);
const KIND = "@kind";
const TIMEZONES = "@timezones";

export function objectToFields(object: CalendarObject): Fields {
  const fields: Fields = { scalars: { [KIND]: object.kind }, texts: {}, sets: {} };
  if (object.master) addComponent(fields, "", object.master, object);
  for (const [key, override] of Object.entries(object.overrides))
    addComponent(fields, `${key}|`, override, object);
  if (fields.sets.entries)
    fields.sets = withoutOverriddenExdates(fields.sets, new Set(Object.keys(object.overrides)));
  const zones = Object.entries(object.timezones);
  if (zones.length > 0)
    fields.sets[TIMEZONES] = Object.fromEntries(zones.map(([tzid, c]) => [tzid, JSON.stringify(c)]));
  return fields;
}

export function fieldsToObject(
  fields: Fields,
  uid: string,
  stamp: { dtstamp: string; sequence: number },
): CalendarObject {
  const kind = fields.scalars[KIND] ?? "vevent";
  const groups = new Map<string, Fields>();
  const groupFields = (prefix: string) => {
    const group = groups.get(prefix) ?? { scalars: {}, texts: {}, sets: {} };
    groups.set(prefix, group);
    return group;
  };
  for (const part of ["scalars", "texts", "sets"] as const) {
    for (const [key, value] of Object.entries(fields[part])) {
      if (key === KIND || key === TIMEZONES) continue;
      const bar = key.indexOf("|");
      (groupFields(bar > 0 ? key.slice(0, bar) : "")[part] as Record<string, unknown>)[key.slice(bar + 1)] =
        value;
    }
  }
  const master = groups.get("");
  const overrides: Record<string, ICalComponent> = {};
  for (const [key, group] of groups) if (key) overrides[key] = toComponent(kind, uid, group, stamp);
  if (master) master.sets = withoutOverriddenExdates(master.sets, new Set(Object.keys(overrides)));
  const timezones: Record<string, ICalComponent> = {};
  for (const [tzid, json] of Object.entries(fields.sets[TIMEZONES] ?? {})) timezones[tzid] = JSON.parse(json);
  return {
    uid,
    kind,
    ...(master ? { master: toComponent(kind, uid, master, stamp) } : {}),
    overrides,
    orphanOverrides: !master && Object.keys(overrides).length > 0,
    timezones,
    calendarProps: [],
  };
}

/**
 * The master's set entries without EXDATEs for instants that have an override. An occurrence
 * deleted on one side (EXDATE added, override removed) and edited on another keeps its override
 * (edit beats delete), but the deleting side's EXDATE would still take the instance out of the
 * recurrence set (RFC 5545 §3.8.5.1) and hide it in clients that apply EXDATE first. So such an
 * EXDATE is never written, and is not read either, so that a file holding both converges with
 * the files written without it.
 */
function withoutOverriddenExdates(sets: Fields["sets"], overridden: Set<string>): Fields["sets"] {
  const entries = sets.entries;
  if (!entries || overridden.size === 0) return sets;
  const hidesOverride = (key: string) =>
    key.startsWith("EXDATE:") && overridden.has(key.slice("EXDATE:".length).split("#")[0] ?? "");
  const kept = Object.entries(entries).filter(([key]) => !hidesOverride(key));
  if (kept.length === Object.keys(entries).length) return sets;
  const { entries: _dropped, ...rest } = sets;
  return kept.length > 0 ? { ...rest, entries: Object.fromEntries(kept) } : rest;
}

/** First-sync keys: summary plus start, for events whose UIDs differ between sides. */
export function objectMatchKeys(object: CalendarObject): string[] {
  const master = object.master;
  if (!master) return [];
  const summary = String(prop(master, "summary")?.values[0] ?? "")
    .toLowerCase()
    .trim();
  const start = prop(master, "dtstart");
  if (!summary || !start) return [];
  return [`${summary}|${valueInstant(start, start.values[0], object.timezones)}`];
}

export function objectLabel(object: CalendarObject): string {
  const component = object.master ?? Object.values(object.overrides)[0];
  const summary = component ? prop(component, "summary")?.values[0] : undefined;
  return typeof summary === "string" && summary.trim() ? summary.trim() : object.uid || "(no summary)";
}

function addComponent(
  fields: Fields,
  prefix: string,
  component: ICalComponent,
  object: CalendarObject,
): void {
  const entries: Record<string, string> = {};
  const stamps: Record<string, string> = {};
  for (const p of component.props) {
    const name = p.name.toUpperCase();
    if (NOT_MERGED.has(name)) continue;
    if (STAMPS.has(name)) {
      stamps[name] = propJson(p);
      continue;
    }
    if (
      name === "DESCRIPTION" &&
      Object.keys(p.params).length === 0 &&
      !(`${prefix}${name}` in fields.texts)
    ) {
      fields.texts[`${prefix}${name}`] = p.values.map(String).join(",");
    } else if (MULTI.has(name) || `${prefix}${name}` in fields.scalars) {
      for (const single of PER_VALUE.has(name) ? p.values.map((v) => ({ ...p, values: [v] })) : [p]) {
        entries[uniqueKey(entries, entryKey(single, object))] = propJson(single);
      }
    } else fields.scalars[`${prefix}${name}`] = propJson(p);
  }
  if (Object.keys(entries).length > 0) fields.sets[`${prefix}entries`] = entries;
  if (Object.keys(stamps).length > 0) fields.sets[`${prefix}@stamps`] = stamps;
  if (component.components.length > 0) {
    const subs: Record<string, string> = {};
    for (const sub of component.components) {
      const json = JSON.stringify(sub);
      subs[uniqueKey(subs, `${sub.name.toUpperCase()}:${sha256(json, "base64url").slice(0, 12)}`)] = json;
    }
    fields.sets[`${prefix}components`] = subs;
  }
}

function toComponent(
  kind: string,
  uid: string,
  group: Fields,
  stamp: { dtstamp: string; sequence: number },
): ICalComponent {
  // An object without UID (EDS memos) is written without one: "UID:" would join every such
  // object in a file into one.
  const props: ICalProp[] = [
    ...(uid ? [{ name: "uid", params: {}, type: "text", values: [uid] }] : []),
    { name: "dtstamp", params: {}, type: "date-time", values: [stamp.dtstamp] },
  ];
  if (stamp.sequence > 0)
    props.push({ name: "sequence", params: {}, type: "integer", values: [stamp.sequence] });
  for (const json of Object.values(group.scalars)) props.push(JSON.parse(json));
  for (const [name, text] of Object.entries(group.texts))
    props.push({ name: name.toLowerCase(), params: {}, type: "text", values: [text] });
  for (const json of Object.values(group.sets.entries ?? {})) props.push(JSON.parse(json));
  for (const json of Object.values(group.sets["@stamps"] ?? {})) props.push(JSON.parse(json));
  const components = Object.values(group.sets.components ?? {}).map(
    (json) => JSON.parse(json) as ICalComponent,
  );
  return { name: kind, props, components };
}

function entryKey(p: ICalProp, object: CalendarObject): string {
  const name = p.name.toUpperCase();
  if (INSTANT_VALUED.has(name)) return `${name}:${valueInstant(p, p.values[0], object.timezones)}`;
  const text = p.values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(",");
  return `${name}:${text.trim().toLowerCase()}`;
}

/** Canonical jCal JSON of a property: fixed key order, sorted parameters. */
function propJson(p: ICalProp): string {
  const params = Object.keys(p.params)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(p.params[k])}`)
    .join(",");
  return `{"name":${JSON.stringify(p.name)},"params":{${params}},"type":${JSON.stringify(p.type)},"values":${JSON.stringify(p.values)}}`;
}

function prop(c: ICalComponent, name: string): ICalProp | undefined {
  return c.props.find((p) => p.name === name);
}

function uniqueKey(taken: Record<string, string>, key: string): string {
  let candidate = key;
  for (let n = 2; candidate in taken; n++) candidate = `${key}#${n}`;
  return candidate;
}
