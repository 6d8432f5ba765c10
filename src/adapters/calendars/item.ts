import type { SyncItem } from "../../core/endpoint.js";
import { objectLabel, objectMatchKeys, objectToFields } from "./fields.js";
import type { CalendarObject, ICalComponent } from "./model.js";

/** A parsed calendar object as the engine sees it (the endpoint adds when it was modified). */
export function calendarItem(object: CalendarObject): Omit<SyncItem, "modified"> {
  return {
    uid: object.uid,
    fields: objectToFields(object),
    label: objectLabel(object),
    matchKeys: objectMatchKeys(object),
  };
}

/** The highest SEQUENCE among an object's components, -1 when none has one. */
export function sequenceOf(object: CalendarObject): number {
  const components: ICalComponent[] = [
    ...(object.master ? [object.master] : []),
    ...Object.values(object.overrides),
  ];
  let max = -1;
  for (const c of components) {
    const value = Number(c.props.find((p) => p.name === "sequence")?.values[0]);
    if (Number.isFinite(value)) max = Math.max(max, value);
  }
  return max;
}

/** DTSTAMP for what Cradle writes now, as jCal writes a UTC date-time. */
export function nowStamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}
