/**
 * One event as Calendar.sqlitedb holds it, column by column, without ROWIDs: what read.ts loads,
 * what write.ts stores, and what the iCalendar mapping (to-ical.ts, from-ical.ts) converts.
 * Two records that serialize to the same JSON need no write.
 *
 * Times are Core Data seconds (from 2001-01-01T00:00:00Z) with the zone column beside them:
 * - an IANA name ("Europe/Berlin"): the seconds are the instant;
 * - "UTC": the instant, written with a Z;
 * - "_float": floating time, the wall clock counted as if it were UTC; all-day events float too
 *   and hold their day's midnight (see docs/design.md "Calendar.sqlitedb").
 */

export const FLOATING = "_float";
export const UTC = "UTC";

export interface EventTime {
  seconds: number;
  tz: string;
}

/** Recurrence: frequency 1 daily, 2 weekly, 3 monthly, 4 yearly; specifier holds the BY* parts. */
export interface RecurrenceRecord {
  frequency: number;
  interval: number;
  /** 0 when the rule is not limited by count. */
  count: number;
  /** UNTIL, in the event's time encoding; null when open-ended or counted. */
  endDate: number | null;
  /** "D=0MO,+2TU;M=1,15;O=3;S=-1;Y=100;W=20" ("" when the rule has no BY* part). */
  specifier: string;
  /** 1 Monday .. 7 Sunday; 0 unset. */
  weekStart: number;
}

/** Alarm: relative to the start (seconds, negative before it), or at an absolute instant. */
export interface AlarmRecord {
  triggerInterval: number | null;
  triggerDate: number | null;
}

/** Participant with its Identity: status in iCalendar PARTSTAT order, role in ROLE order. */
export interface ParticipantRecord {
  email: string;
  name: string | null;
  status: number;
  role: number;
}

/** What a master and a detached occurrence both carry. */
export interface EventBody {
  summary: string | null;
  description: string | null;
  url: string | null;
  location: string | null;
  allDay: boolean;
  start: EventTime;
  end: EventTime;
  alarms: AlarmRecord[];
  organizer: ParticipantRecord | null;
  attendees: ParticipantRecord[];
}

/** A detached occurrence: its own CalendarItem row, pointing at the master (orig_item_id/orig_date). */
export interface DetachedRecord extends EventBody {
  /** orig_date: the start the occurrence had in the series, in the master's time encoding. */
  originalDate: number;
}

export interface EventRecord extends EventBody {
  /** CalendarItem.unique_identifier: the iCalendar UID. */
  uid: string;
  recurrence: RecurrenceRecord | null;
  /** ExceptionDate.date values, sorted. */
  exceptionDates: number[];
  /** Sorted by originalDate. */
  detached: DetachedRecord[];
}
