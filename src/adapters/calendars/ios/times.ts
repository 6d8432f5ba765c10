/**
 * One DTSTART/DTEND/RECURRENCE-ID/EXDATE value ↔ Calendar.sqlitedb seconds and zone column.
 *
 * - DATE (all-day) ↔ the day's midnight counted as UTC, zone "_float";
 * - floating date-time ↔ the wall clock counted as UTC, zone "_float";
 * - UTC date-time ↔ the instant, zone "UTC";
 * - TZID date-time ↔ the instant, zone = the TZID when it is an IANA zone. A TZID Intl does not
 *   know (an Outlook "W. Europe Standard Time" with its own VTIMEZONE) is resolved through that
 *   VTIMEZONE and stored in UTC: the device could not show it otherwise.
 */
import { fromCoreDataSeconds, toCoreDataSeconds } from "../../contacts/ios/schema.js";
import { valueInstant } from "../ical-zones.js";
import type { ICalComponent, ICalProp } from "../model.js";
import { type EventTime, FLOATING, UTC } from "./record.js";
import { instantOfWall, isKnownZone, type WallClock, wallAsUtc, wallClockAt } from "./zone-time.js";

const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d):(\d\d)(Z?))?$/;

const secondsOf = (ms: number) => Math.round(toCoreDataSeconds(new Date(ms)));
const msOf = (seconds: number) => fromCoreDataSeconds(seconds).getTime();

/** The stored form of a jCal date or date-time value of `prop` (whose params carry any TZID). */
export function timeFromValue(
  prop: Pick<ICalProp, "params" | "type">,
  value: unknown,
  timezones: Record<string, ICalComponent>,
): EventTime {
  const text = String(value);
  const m = DATE_TIME.exec(text);
  if (!m) throw new Error(`"${text}" is not a date or date-time`);
  const wall: WallClock = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
  if (m[4] === undefined) return { seconds: secondsOf(wallAsUtc(wall)), tz: FLOATING };
  if (m[7] === "Z") return { seconds: secondsOf(wallAsUtc(wall)), tz: UTC };
  const tzid = prop.params.tzid;
  if (typeof tzid !== "string") return { seconds: secondsOf(wallAsUtc(wall)), tz: FLOATING };
  if (isKnownZone(tzid)) return { seconds: secondsOf(instantOfWall(wall, tzid)), tz: tzid };
  const instant = valueInstant(
    { name: "x", params: prop.params, type: prop.type, values: [] },
    text,
    timezones,
  );
  return { seconds: secondsOf(Date.parse(instant)), tz: UTC };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const dateText = (w: WallClock) => `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
const dateTimeText = (w: WallClock) => `${dateText(w)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;

function utcWall(ms: number): WallClock {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** A jCal property carrying a stored time; an unknown zone column is written in UTC. */
export function timeToProp(name: string, time: EventTime, allDay: boolean): ICalProp {
  const ms = msOf(time.seconds);
  if (allDay) return { name, params: {}, type: "date", values: [dateText(utcWall(ms))] };
  if (time.tz === FLOATING)
    return { name, params: {}, type: "date-time", values: [dateTimeText(utcWall(ms))] };
  if (time.tz !== UTC && isKnownZone(time.tz))
    return {
      name,
      params: { tzid: time.tz },
      type: "date-time",
      values: [dateTimeText(wallClockAt(ms, time.tz))],
    };
  return { name, params: {}, type: "date-time", values: [`${dateTimeText(utcWall(ms))}Z`] };
}
