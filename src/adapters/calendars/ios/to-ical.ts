/**
 * An EventRecord as the CalendarObject a .ics file with the same content parses to: the
 * properties are built as jCal, then written and parsed by the iCalendar codec, so an event read
 * from the device and the same event read from a vdir give the same Fields.
 */
import ICAL from "ical.js";
import { parseCalendar, serializeCalendar } from "../ical.js";
import type { CalendarObject, ICalComponent, ICalProp } from "../model.js";
import { participantToProp } from "./participants.js";
import { type AlarmRecord, type EventBody, type EventRecord, FLOATING, UTC } from "./record.js";
import { recordToRecur } from "./recurrence.js";
import { timeToProp } from "./times.js";

export interface Stamp {
  dtstamp: string;
  sequence: number;
}

const text = (name: string, value: string | null): ICalProp[] =>
  value === null ? [] : [{ name, params: {}, type: "text", values: [value] }];

function alarmComponent(alarm: AlarmRecord): ICalComponent {
  const trigger: ICalProp =
    alarm.triggerDate !== null
      ? {
          ...timeToProp("trigger", { seconds: alarm.triggerDate, tz: UTC }, false),
          params: { value: "DATE-TIME" },
        }
      : {
          name: "trigger",
          params: {},
          type: "duration",
          values: [ICAL.Duration.fromSeconds(alarm.triggerInterval ?? 0).toString()],
        };
  return {
    name: "valarm",
    props: [
      { name: "action", params: {}, type: "text", values: ["DISPLAY"] },
      { name: "description", params: {}, type: "text", values: ["Reminder"] },
      trigger,
    ],
    components: [],
  };
}

function bodyProps(body: EventBody): ICalProp[] {
  // An all-day end is stored as the last second of the last day (see record.ts).
  const end = body.allDay ? { ...body.end, seconds: body.end.seconds + 1 } : body.end;
  return [
    timeToProp("dtstart", body.start, body.allDay),
    timeToProp("dtend", end, body.allDay),
    ...text("summary", body.summary),
    ...text("description", body.description),
    ...text("location", body.location),
    ...(body.url === null ? [] : [{ name: "url", params: {}, type: "uri", values: [body.url] }]),
    ...(body.organizer ? [participantToProp("organizer", body.organizer)] : []),
    ...body.attendees.map((a) => participantToProp("attendee", a)),
  ];
}

function component(uid: string, stamp: Stamp, head: ICalProp[], body: EventBody): ICalComponent {
  return {
    name: "vevent",
    props: [
      { name: "uid", params: {}, type: "text", values: [uid] },
      { name: "dtstamp", params: {}, type: "date-time", values: [stamp.dtstamp] },
      ...(stamp.sequence > 0
        ? [{ name: "sequence", params: {}, type: "integer", values: [stamp.sequence] }]
        : []),
      ...head,
      ...bodyProps(body),
    ],
    components: body.alarms.map(alarmComponent),
  };
}

/** The master's time encoding, for EXDATE, RECURRENCE-ID and UNTIL values. */
function seriesTime(record: EventRecord) {
  return (seconds: number, name: string) => timeToProp(name, { seconds, tz: record.start.tz }, record.allDay);
}

export function recordToObject(record: EventRecord, stamp: Stamp): CalendarObject {
  const seriesProp = seriesTime(record);
  const head: ICalProp[] = [];
  if (record.recurrence) {
    // UNTIL is in UTC unless the series floats or is all-day (RFC 5545 §3.3.10).
    const untilTz = record.allDay || record.start.tz === FLOATING ? FLOATING : UTC;
    const until = (seconds: number) =>
      String(timeToProp("until", { seconds, tz: untilTz }, record.allDay).values[0]);
    head.push({
      name: "rrule",
      params: {},
      type: "recur",
      values: [recordToRecur(record.recurrence, until)],
    });
  }
  for (const date of record.exceptionDates) head.push(seriesProp(date, "exdate"));
  const overrides = record.detached.map((d) =>
    component(record.uid, stamp, [seriesProp(d.originalDate, "recurrence-id")], d),
  );
  const object: CalendarObject = {
    uid: record.uid,
    kind: "vevent",
    master: component(record.uid, stamp, head, record),
    // Keys only order the writing; parsing computes the real RECURRENCE-ID keys.
    overrides: Object.fromEntries(overrides.map((o, i) => [String(i).padStart(8, "0"), o])),
    orphanOverrides: false,
    timezones: {},
    calendarProps: [],
  };
  const text = serializeCalendar([object]);
  const parsed = parseCalendar(text, record.uid);
  const result = parsed.objects[0];
  if (!result || parsed.errors[0])
    throw new Error(
      `event ${record.uid} does not map to iCalendar: ${parsed.errors[0]?.message ?? "no object"}`,
    );
  return result;
}
