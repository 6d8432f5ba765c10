import type { ReadError } from "../../../core/endpoint.js";
import { VdirEndpoint, type VdirFormat } from "../../shared/vdir-endpoint.js";
import { fieldsToObject } from "../fields.js";
import { calendarItem, nowStamp, sequenceOf } from "../item.js";
import type { CalendarHeader, CalendarObject, ICalProp } from "../model.js";

type Codec = typeof import("../ical.js");
let codec: Codec | undefined;

/** What an update keeps from the file it replaces. */
interface EventFileMeta {
  sequence: number;
  calendarProps: ICalProp[];
  header: CalendarHeader;
}

/** A vdir file's one object and what an update keeps of the file, or why it is not that. */
function parseOne(
  text: string,
  path: string,
): { ok: true; object: CalendarObject; meta: EventFileMeta } | { ok: false; error: ReadError } {
  const { objects, errors, header } = (codec as Codec).parseCalendar(text, path);
  const error = errors[0];
  if (error) return { ok: false, error };
  const object = objects[0];
  if (!object) return { ok: false, error: { where: path, message: "holds no event, task or journal" } };
  if (objects.length > 1) {
    // Point at the first component of the second UID, so the user sees where the extra one starts.
    const second = (codec as Codec).splitCalendar(text)[1];
    return {
      ok: false,
      error: {
        where: second ? `${path}:${second.line}` : path,
        message: `holds ${objects.length} UIDs (${objects.map((o) => o.uid || "none").join(", ")}); a vdir file holds one`,
      },
    };
  }
  return {
    ok: true,
    object,
    meta: { sequence: sequenceOf(object), calendarProps: object.calendarProps, header },
  };
}

/**
 * Events in a vdir, one .ics per UID with its overrides (as khal and vdirsyncer keep them). An
 * update bumps SEQUENCE past the file's own and keeps its calendar-level properties.
 */
const ICS_FORMAT: VdirFormat<EventFileMeta> = {
  domain: "calendars",
  extension: ".ics",
  async load() {
    codec ??= await import("../ical.js");
  },
  parse(text, path) {
    const one = parseOne(text, path);
    return one.ok ? { ok: true, meta: one.meta, item: calendarItem(one.object) } : one;
  },
  // What parse() keeps, without turning the event into Fields and match keys (time zones).
  peekMeta(text, path) {
    const one = parseOne(text, path);
    return one.ok ? one.meta : undefined;
  },
  serialize(fields, uid, previous) {
    const sequence = previous ? Math.max(previous.sequence, 0) + 1 : 0;
    const object = fieldsToObject(fields, uid, { dtstamp: nowStamp(), sequence });
    object.calendarProps = previous?.calendarProps ?? [];
    return (codec as Codec).serializeCalendar([object], { header: previous?.header });
  },
};

/** `vdir:DIR` for calendars: one .ics per UID, as khal and vdirsyncer keep them. */
export class CalendarsVdirEndpoint extends VdirEndpoint<EventFileMeta> {
  constructor(dir: string) {
    super(dir, ICS_FORMAT);
  }
}
