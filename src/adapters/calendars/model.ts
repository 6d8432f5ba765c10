/**
 * The calendar model: one CalendarObject per UID, as RFC 4791 §4.1 keeps it in one resource.
 *
 * Components are held as jCal (RFC 7265) properties and sub-components, so nothing the model
 * gives no meaning to is dropped: unknown properties, parameters and components (VALARM,
 * X- components) survive a round trip verbatim.
 *
 * Override keys (RECURRENCE-ID normalized to an instant, see `recurrenceKey` in ical-zones.ts):
 * - a UTC value is kept as that instant: "2012-11-05T18:00:00Z";
 * - a TZID value is converted with the object's VTIMEZONE (or the IANA zone of that name when
 *   the file has none), so a UTC RECURRENCE-ID and a TZID one for the same instance collide
 *   (SyncEvolution's fixIncomingCalendar case);
 * - a floating date-time, and a TZID nobody can resolve, is read as if it were UTC, and a DATE as
 *   its midnight in UTC ("2026-01-05T00:00:00Z"). Such series float on every device alike, so
 *   the key only has to be stable and unique, not a real instant.
 */

/** A jCal property: name in lower case, parameters, value type, then one or more values. */
export interface ICalProp {
  name: string;
  params: Record<string, string | string[]>;
  /**
   * jCal value type ("date-time", "recur", "text", "unknown"...). "x-unparsed" marks a line ical.js
   * could not read (an RRULE such as vCalendar's "W1 TH"): values[0] is the whole unfolded line,
   * written back as it came.
   */
  type: string;
  values: unknown[];
}

/** A component (VEVENT, VALARM, VTIMEZONE, STANDARD, X-...) with its name in lower case. */
export interface ICalComponent {
  name: string;
  props: ICalProp[];
  components: ICalComponent[];
}

/** Everything sharing one UID in one resource. */
export interface CalendarObject {
  /** "" for a component without UID: each such component is an object of its own. */
  uid: string;
  /** "vevent", "vtodo", "vjournal"... the master's name, else the first override's. */
  kind: string;
  /** The component without RECURRENCE-ID; absent when the source held only overrides. */
  master?: ICalComponent;
  /** Overrides keyed by RECURRENCE-ID normalized to a UTC instant string (see above). */
  overrides: Record<string, ICalComponent>;
  /** True when there are overrides but no master (Exchange invitations, khal #447). */
  orphanOverrides: boolean;
  /**
   * A VTIMEZONE for every TZID this object uses, by TZID: the source's own, verbatim, else one
   * generated from the IANA zone of that name (ical-tzgen.ts). A TZID neither resolves is absent.
   */
  timezones: Record<string, ICalComponent>;
  /** VCALENDAR properties except VERSION (PRODID, CALSCALE, METHOD, X-WR-CALNAME...), verbatim. */
  calendarProps: ICalProp[];
}

/** What a calendar holds besides its objects, so that a whole-file round trip loses nothing. */
export interface CalendarHeader {
  /** VCALENDAR properties except VERSION, merged over every VCALENDAR in the text. */
  props: ICalProp[];
  /** Root components that belong to no object: unused or invalid VTIMEZONEs, X- components. */
  components: ICalComponent[];
}

/** One expanded instance of a series. */
export interface Occurrence {
  /** The instance's normalized RECURRENCE-ID (the override key it has or would have). */
  recurrenceId: string;
  /** Its start as a UTC instant ("2026-03-30T07:00:00Z"); floating and dates read as UTC. */
  start: string;
  /** Whether an override supplied this instance. */
  overridden: boolean;
}
