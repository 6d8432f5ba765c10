/**
 * iCalendar codec (RFC 5545, built on ical.js) to and from the CalendarObject model.
 *
 * - parseCalendar(text, source): every VCALENDAR in the text, components grouped by UID;
 *   malformed items are reported as ReadErrors "source:line" and skipped (ical-parse.ts).
 * - serializeCalendar(objects, options): one VCALENDAR with a VTIMEZONE for every TZID used
 *   (ical-write.ts); parse(serialize(parse(x))) equals parse(x) apart from a PRODID the source
 *   lacked, and apart from calendar properties of later VCALENDARs in a many-VCALENDAR file when
 *   they differ from the first one's.
 * - splitCalendar(text): each UID's text without parsing values, for change tokens (ical-split.ts).
 * - occurrences(object, from, to): expanded instances (ical-recur.ts).
 */
export { type ParsedCalendar, parseCalendar } from "./ical-parse.js";
export { occurrences } from "./ical-recur.js";
export { type CalendarText, splitCalendar } from "./ical-split.js";
export { generateVTimezone } from "./ical-tzgen.js";
export { DEFAULT_PRODID, type SerializeOptions, serializeCalendar } from "./ical-write.js";
