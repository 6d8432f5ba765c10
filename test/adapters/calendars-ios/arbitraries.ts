/**
 * fast-check arbitraries for EventRecords in the space Calendar.sqlitedb and iCalendar share:
 * times are drawn as wall clocks and stored the way the endpoint stores them, so every record
 * is one the endpoint could have written.
 */
import fc from "fast-check";
import {
  type AlarmRecord,
  type EventBody,
  type EventRecord,
  type EventTime,
  FLOATING,
  type ParticipantRecord,
  UTC,
} from "../../../src/adapters/calendars/ios/record.js";
import { instantOfWall, type WallClock, wallAsUtc } from "../../../src/adapters/calendars/ios/zone-time.js";
import { toCoreDataSeconds } from "../../../src/adapters/contacts/ios/schema.js";

const ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", UTC, FLOATING];
const DAY = 86_400;

const seconds = (ms: number) => Math.round(toCoreDataSeconds(new Date(ms)));

const wall: fc.Arbitrary<WallClock> = fc.record({
  year: fc.integer({ min: 1990, max: 2040 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.constant(0),
});

export function storedTime(w: WallClock, tz: string): EventTime {
  if (tz === FLOATING || tz === UTC) return { seconds: seconds(wallAsUtc(w)), tz };
  return { seconds: seconds(instantOfWall(w, tz)), tz };
}

const midnight = (w: WallClock) => seconds(Date.UTC(w.year, w.month - 1, w.day));

const text = fc
  .array(fc.constantFrom(..."abcXYZ äöü€ ,;:\\\n-'\"".split("")), { minLength: 1, maxLength: 20 })
  .map((chars) => chars.join(""))
  .filter((s) => s.trim() === s && s.length > 0);

const participant: fc.Arbitrary<ParticipantRecord> = fc.record({
  email: fc.constantFrom("lena@example.com", "marcus@example.org", "aiko@example.net"),
  name: fc.option(fc.constantFrom("Lena Vogel", "Marcus Reed", "José Álvarez"), { nil: null }),
  status: fc.integer({ min: 0, max: 6 }),
  role: fc.integer({ min: 0, max: 4 }),
});

const alarm: fc.Arbitrary<AlarmRecord> = fc.oneof(
  fc.integer({ min: -7 * 24 * 60, max: 0 }).map((m) => ({ triggerInterval: m * 60, triggerDate: null })),
  wall.map((w) => ({ triggerInterval: null, triggerDate: seconds(wallAsUtc(w)) })),
);

/** Alarms in the order the mapping keeps them. */
const sortAlarms = (alarms: AlarmRecord[]) =>
  [...alarms].sort(
    (a, b) =>
      (a.triggerInterval ?? 0) - (b.triggerInterval ?? 0) || (a.triggerDate ?? 0) - (b.triggerDate ?? 0),
  );

/** Start and end of a body in one encoding; all-day ends on the last second of its last day. */
function timesFor(tz: string, allDay: boolean) {
  return fc.tuple(wall, fc.integer({ min: 0, max: (3 * DAY) / 60 })).map(([w, minutes]) => {
    if (allDay) {
      const start = midnight(w);
      const days = Math.max(1, Math.ceil(minutes / (24 * 60)));
      return {
        start: { seconds: start, tz: FLOATING },
        end: { seconds: start + days * DAY - 1, tz: FLOATING },
      };
    }
    const start = storedTime(w, tz);
    return { start, end: { ...start, seconds: start.seconds + minutes * 60 } };
  });
}

function body(tz: string, allDay: boolean): fc.Arbitrary<EventBody> {
  return fc
    .record({
      times: timesFor(tz, allDay),
      summary: fc.option(text, { nil: null }),
      description: fc.option(text, { nil: null }),
      url: fc.option(fc.constantFrom("https://example.com/a", "https://meet.example.com/x?y=1"), {
        nil: null,
      }),
      location: fc.option(text, { nil: null }),
      alarms: fc.array(alarm, { maxLength: 2 }),
      // ORGANIZER has no PARTSTAT or ROLE parameter (RFC 5545 §3.8.4.3).
      organizer: fc.option(
        participant.map((p) => ({ ...p, status: 0, role: 0 })),
        { nil: null },
      ),
      attendees: fc.uniqueArray(participant, { maxLength: 2, selector: (p) => p.email }),
    })
    .map(({ times, alarms, ...rest }) => ({ ...rest, ...times, allDay, alarms: sortAlarms(alarms) }));
}

const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** Any event, recurring or not, in any of the encodings. */
export const eventRecord: fc.Arbitrary<EventRecord> = fc
  .record({ tz: fc.constantFrom(...ZONES), allDay: fc.boolean() })
  .chain(({ tz, allDay }) =>
    fc.record({
      uid: fc.uuid(),
      master: body(tz, allDay),
      recurrence: fc.option(
        fc.record({
          frequency: fc.integer({ min: 1, max: 4 }),
          interval: fc.integer({ min: 1, max: 3 }),
          end: fc.oneof(
            fc.integer({ min: 1, max: 30 }).map((count) => ({ count })),
            wall.map((w) => ({ until: w })),
            fc.constant({}),
          ),
          days: fc.subarray(DAYS.map((d, i) => (i % 3 === 0 ? `0${d}` : i % 3 === 1 ? `+1${d}` : `-1${d}`))),
          monthDays: fc.subarray([1, 15, -1]),
          // 1 (Monday) is RFC 5545's default: iCalendar writes no WKST for it, so it reads back as 0.
          weekStart: fc.constantFrom(0, 2, 3, 4, 5, 6, 7),
        }),
        { nil: null },
      ),
      exceptions: fc.uniqueArray(wall, { maxLength: 3, selector: (w) => JSON.stringify(w) }),
      detached: fc.uniqueArray(fc.tuple(wall, body(tz, allDay)), {
        maxLength: 2,
        selector: ([w]) => JSON.stringify(w),
      }),
    }),
  )
  .map(({ uid, master, recurrence, exceptions, detached }) => {
    const seriesSeconds = (w: WallClock) =>
      master.allDay ? midnight(w) : storedTime(w, master.start.tz).seconds;
    const untilTz = master.allDay || master.start.tz === FLOATING ? FLOATING : UTC;
    const record: EventRecord = {
      uid,
      ...master,
      recurrence: recurrence && {
        frequency: recurrence.frequency,
        interval: recurrence.interval,
        count: "count" in recurrence.end ? recurrence.end.count : 0,
        endDate:
          "until" in recurrence.end
            ? master.allDay
              ? midnight(recurrence.end.until)
              : storedTime(recurrence.end.until, untilTz).seconds
            : null,
        specifier: [
          ...(recurrence.days.length ? [`D=${recurrence.days.join(",")}`] : []),
          ...(recurrence.monthDays.length ? [`M=${recurrence.monthDays.join(",")}`] : []),
        ].join(";"),
        weekStart: recurrence.weekStart,
      },
      exceptionDates: [...new Set(exceptions.map(seriesSeconds))].sort((a, b) => a - b),
      detached: [],
    };
    const byOriginal = new Map(detached.map(([w, b]) => [seriesSeconds(w), b]));
    record.detached = [...byOriginal]
      .map(([originalDate, b]) => ({ ...b, originalDate }))
      .sort((a, b) => a.originalDate - b.originalDate);
    return record;
  });
