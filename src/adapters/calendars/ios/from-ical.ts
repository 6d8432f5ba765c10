/**
 * A CalendarObject (as the engine hands it over) → the EventRecord Calendar.sqlitedb can hold.
 * What has no column is left out: the endpoint is lossy, and the engine diffs the device's later
 * edits against what it read back, so nothing left out is taken for a deletion. Left out:
 * X- properties, CATEGORIES, ATTACH, RDATE, STATUS, TRANSP, CLASS, alarms other than a display
 * at a time or offset (an AUDIO or EMAIL alarm reads back as a display alarm), participant
 * parameters other than CN/PARTSTAT/ROLE, and rules Recurrence cannot express (recurrence.ts).
 */
import ICAL from "ical.js";
import { firstProp as first } from "../ical-zones.js";
import type { CalendarObject, ICalComponent, ICalProp } from "../model.js";
import { propToParticipant } from "./participants.js";
import type { AlarmRecord, DetachedRecord, EventBody, EventRecord, EventTime } from "./record.js";
import { recurToRecord } from "./recurrence.js";
import { timeFromValue } from "./times.js";

const DAY = 86_400;

const all = (c: ICalComponent, name: string): ICalProp[] => c.props.filter((p) => p.name === name);

function text(c: ICalComponent, name: string): string | null {
  const p = first(c, name);
  return p ? p.values.map(String).join(",") : null;
}

function alarmOf(valarm: ICalComponent, timezones: CalendarObject["timezones"]): AlarmRecord | undefined {
  const trigger = first(valarm, "trigger");
  if (!trigger) return undefined;
  const value = String(trigger.values[0]);
  if (trigger.type === "duration")
    return { triggerInterval: ICAL.Duration.fromString(value).toSeconds(), triggerDate: null };
  return { triggerInterval: null, triggerDate: timeFromValue(trigger, value, timezones).seconds };
}

function bodyOf(c: ICalComponent, object: CalendarObject): EventBody {
  const time = (p: ICalProp): EventTime => timeFromValue(p, p.values[0], object.timezones);
  const dtstart = first(c, "dtstart");
  if (!dtstart) throw new Error("has no DTSTART, which the iOS calendar needs");
  const allDay = dtstart.type === "date";
  const start = time(dtstart);
  const dtend = first(c, "dtend");
  const duration = first(c, "duration");
  let end: EventTime;
  if (dtend) end = time(dtend);
  else if (duration)
    end = {
      ...start,
      seconds: start.seconds + ICAL.Duration.fromString(String(duration.values[0])).toSeconds(),
    };
  else end = { ...start, seconds: start.seconds + (allDay ? DAY : 0) };
  // An all-day end is stored as the last second of the last day (see record.ts).
  if (allDay) end = { ...end, seconds: Math.max(end.seconds, start.seconds + DAY) - 1 };
  const organizer = first(c, "organizer");
  return {
    summary: text(c, "summary"),
    description: text(c, "description"),
    url: text(c, "url"),
    location: text(c, "location"),
    allDay,
    start,
    end,
    alarms: c.components
      .filter((s) => s.name === "valarm")
      .flatMap((s) => alarmOf(s, object.timezones) ?? [])
      .sort(
        (a, b) =>
          (a.triggerInterval ?? 0) - (b.triggerInterval ?? 0) || (a.triggerDate ?? 0) - (b.triggerDate ?? 0),
      ),
    organizer: organizer ? propToParticipant(organizer) : null,
    attendees: all(c, "attendee").map(propToParticipant),
  };
}

export function objectToRecord(object: CalendarObject): EventRecord {
  const master = object.master;
  if (!master) throw new Error("holds only occurrences of a series without the series itself");
  if (object.kind !== "vevent") throw new Error(`is a ${object.kind.toUpperCase()}, not an event`);
  const body = bodyOf(master, object);
  const seriesSeconds = (p: ICalProp, value: unknown) => timeFromValue(p, value, object.timezones).seconds;
  const rrule = first(master, "rrule");
  const recur = rrule?.type === "recur" ? (rrule.values[0] as Record<string, unknown>) : undefined;
  const detached: DetachedRecord[] = Object.values(object.overrides).flatMap((o) => {
    const rid = first(o, "recurrence-id");
    return rid ? [{ ...bodyOf(o, object), originalDate: seriesSeconds(rid, rid.values[0]) }] : [];
  });
  return {
    uid: object.uid,
    ...body,
    recurrence: recur
      ? (recurToRecord(recur, (until) =>
          seriesSeconds({ name: "until", params: {}, type: "date-time", values: [] }, until),
        ) ?? null)
      : null,
    exceptionDates: [
      ...new Set(all(master, "exdate").flatMap((p) => p.values.map((v) => seriesSeconds(p, v)))),
    ].sort((a, b) => a - b),
    detached: detached.sort((a, b) => a.originalDate - b.originalDate),
  };
}
