/**
 * Realistic sample events for the virtual iPhone, drawn from a seeded Random and built as the
 * rows Calendar.sqlitedb holds (EventRecord): meetings in Europe/Berlin and America/New_York with
 * locations, alarms and attendees; weekly series with a deleted and a moved occurrence; all-day
 * and multi-day events; floating ones (the same wall clock in every zone); monthly and yearly rules.
 */

import { type EventRecord, type EventTime, FLOATING } from "../../adapters/calendars/ios/record.js";
import { instantOfWall, type WallClock } from "../../adapters/calendars/ios/zone-time.js";
import { toCoreDataSeconds } from "../../adapters/contacts/ios/schema.js";
import type { Random } from "./random.js";

/** The Monday the samples start on. */
const FIRST_DAY = Date.UTC(2026, 0, 5);
const DAY_MS = 86_400_000;
const HOUR = 3600;

const seconds = (ms: number) => Math.round(toCoreDataSeconds(new Date(ms)));

function wallOn(dayIndex: number, hour: number, minute = 0): WallClock {
  const d = new Date(FIRST_DAY + dayIndex * DAY_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour,
    minute,
    second: 0,
  };
}

function zoned(tz: string, dayIndex: number, hour: number, minute = 0): EventTime {
  const wall = wallOn(dayIndex, hour, minute);
  const ms =
    tz === FLOATING ? FIRST_DAY + dayIndex * DAY_MS + (hour * 60 + minute) * 60_000 : instantOfWall(wall, tz);
  return { seconds: seconds(ms), tz };
}

const later = (t: EventTime, s: number): EventTime => ({ ...t, seconds: t.seconds + s });

const MEETINGS = [
  "Project review",
  "1:1 with Lena",
  "Budget planning",
  "Design sync",
  "Quarterly kickoff",
  "Interview",
];
const PLACES = ["Alexanderplatz 1, Berlin", "Room 4.12", "Café Einstein", "Kreuzberg office", "Zoom"];
const PERSONAL = ["Dentist", "Yoga", "Dinner with Sam", "Haircut", "Piano lesson", "Call Mum"];
const DAYS_OFF = ["Holiday", "Conference", "Ski trip", "Public holiday", "Team offsite"];
const PEOPLE = [
  ["Lena Vogel", "lena.vogel@example.com"],
  ["Marcus Reed", "marcus.reed@example.org"],
  ["Aiko Tanaka", "aiko@example.net"],
  ["José Álvarez", "jose.alvarez@example.com"],
] as const;

function base(uid: string, summary: string, start: EventTime, end: EventTime, allDay = false): EventRecord {
  return {
    uid,
    summary,
    description: null,
    url: null,
    location: null,
    allDay,
    start,
    end,
    alarms: [],
    organizer: null,
    attendees: [],
    recurrence: null,
    exceptionDates: [],
    detached: [],
  };
}

/** One sample event; the kind cycles so that every small sample has each shape. */
function sampleEvent(r: Random, i: number): EventRecord {
  const uid = r.uuid();
  const day = r.int(0, 120);
  switch (i % 6) {
    case 0: {
      const start = zoned("Europe/Berlin", day, r.int(8, 16), r.pick([0, 30]));
      const event = base(uid, r.pick(MEETINGS), start, later(start, HOUR));
      event.location = r.pick(PLACES);
      event.alarms = [{ triggerInterval: -15 * 60, triggerDate: null }];
      event.description = r.chance(0.5) ? "Agenda:\n1. Status\n2. Next steps" : null;
      return event;
    }
    case 1: {
      // A weekly series on Mondays in Berlin: one occurrence deleted, one moved an hour later.
      const start = zoned("Europe/Berlin", day - (day % 7), 9, 30);
      const event = base(uid, "Team stand-up", start, later(start, 15 * 60));
      event.recurrence = {
        frequency: 2,
        interval: 1,
        count: 12,
        endDate: null,
        specifier: "D=0MO",
        weekStart: 0,
      };
      event.exceptionDates = [start.seconds + 14 * 86_400];
      event.alarms = [{ triggerInterval: -5 * 60, triggerDate: null }];
      const moved = start.seconds + 21 * 86_400;
      const { uid: _uid, recurrence: _rule, exceptionDates: _dates, detached: _none, ...body } = event;
      event.detached = [
        {
          ...body,
          summary: "Team stand-up (moved)",
          start: { ...start, seconds: moved + HOUR },
          end: { ...start, seconds: moved + HOUR + 15 * 60 },
          originalDate: moved,
        },
      ];
      return event;
    }
    case 2: {
      // All-day: the day's midnight, and the last second of the last day.
      const length = r.int(1, 3);
      const start = zoned(FLOATING, day, 0);
      return base(uid, r.pick(DAYS_OFF), start, later(start, length * 86_400 - 1), true);
    }
    case 3: {
      const start = zoned(FLOATING, day, r.int(7, 19));
      const event = base(uid, r.pick(PERSONAL), start, later(start, HOUR));
      if (r.chance(0.5)) event.alarms = [{ triggerInterval: -60 * 60, triggerDate: null }];
      return event;
    }
    case 4: {
      const start = zoned("America/New_York", day, r.int(9, 15));
      const event = base(uid, "Call with the New York team", start, later(start, 45 * 60));
      const [organizer, ...guests] = [r.pick(PEOPLE), r.pick(PEOPLE)];
      event.organizer = { name: organizer[0], email: organizer[1], status: 0, role: 0 };
      event.attendees = guests.map(([name, email]) => ({ name, email, status: 1, role: 1 }));
      event.url = "https://meet.example.com/ny-team";
      return event;
    }
    default: {
      const start = zoned(FLOATING, day, 0);
      const monthly = r.chance(0.5);
      const event = base(uid, monthly ? "Pay rent" : "Anniversary", start, later(start, 86_400 - 1), true);
      event.recurrence = monthly
        ? {
            frequency: 3,
            interval: 1,
            count: 0,
            endDate: null,
            specifier: `M=${new Date(FIRST_DAY + day * DAY_MS).getUTCDate()}`,
            weekStart: 0,
          }
        : { frequency: 4, interval: 1, count: 0, endDate: null, specifier: "", weekStart: 0 };
      return event;
    }
  }
}

export function sampleEvents(random: Random, count: number): EventRecord[] {
  return Array.from({ length: count }, (_, i) => sampleEvent(random, i));
}
