/**
 * Splitting a calendar by UID without parsing values: only lines are unfolded and BEGIN/END
 * counted. Enough for a file endpoint's change tokens (hash each UID's text), at a fraction of
 * parseCalendar's cost. VTIMEZONEs are left out: a changed zone alone does not change a token.
 */
import { logicalLines } from "./ical-lines.js";

export interface CalendarText {
  /** "" for components without UID; each of those is its own entry. */
  uid: string;
  /** 1-based line of the first component with this UID. */
  line: number;
  /** The exact source text of every component with this UID, in file order, joined. */
  text: string;
}

const MARKER = /^(BEGIN|END):([A-Za-z0-9-]+)\s*$/i;
const UID = /^UID(?:;[^:]*)?:(.*)$/i;
/** As in parseCalendar: other root components without UID are calendar-level, not items. */
const ITEM_NAMES = new Set(["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VAVAILABILITY"]);

export function splitCalendar(text: string): CalendarText[] {
  const byUid = new Map<string, CalendarText>();
  const out: CalendarText[] = [];
  let depth = 0;
  let start = 0;
  let line = 0;
  let uid: string | undefined;
  let name = "";
  for (const l of logicalLines(text)) {
    const marker = MARKER.exec(l.text);
    const begin = marker?.[1]?.toUpperCase() === "BEGIN";
    if (marker && begin) {
      depth++;
      if (depth === 2)
        [start, line, uid, name] = [l.start, l.line, undefined, (marker[2] ?? "").toUpperCase()];
    } else if (marker) {
      if (depth === 2 && name !== "VTIMEZONE" && (uid !== undefined || ITEM_NAMES.has(name))) {
        const chunk = text.slice(start, l.end);
        const known = uid === undefined ? undefined : byUid.get(uid);
        if (known) known.text += chunk;
        else {
          const entry = { uid: uid ?? "", line, text: chunk };
          out.push(entry);
          if (uid !== undefined) byUid.set(uid, entry);
        }
      }
      depth = Math.max(0, depth - 1);
    } else if (depth === 2 && uid === undefined) {
      uid = UID.exec(l.text)?.[1];
    }
  }
  return out;
}
