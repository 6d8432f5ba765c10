/**
 * Wall clock ↔ instant in an IANA zone, with the zone data Node already carries (Intl), so no
 * VTIMEZONE has to be parsed to store an event's start.
 */

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      return undefined;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** True when Intl knows the zone ("Europe/Berlin"); false for Windows names and made-up TZIDs. */
export function isKnownZone(zone: string): boolean {
  return formatter(zone) !== undefined;
}

/** The wall clock in `zone` at an instant (ms since the Unix epoch). */
export function wallClockAt(ms: number, zone: string): WallClock {
  const f = formatter(zone);
  if (!f) throw new Error(`unknown time zone ${zone}`);
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

export const wallAsUtc = (w: WallClock): number =>
  Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/**
 * The instant a wall clock names in `zone`. In a DST gap (02:30 on a spring-forward night) it is
 * the instant the clock shows after the jump; in the repeated hour, the first of the two.
 */
export function instantOfWall(w: WallClock, zone: string): number {
  const local = wallAsUtc(w);
  const offsetAt = (ms: number) => wallAsUtc(wallClockAt(ms, zone)) - ms;
  const first = local - offsetAt(local - 86_400_000);
  const second = local - offsetAt(local + 86_400_000);
  // Whichever candidate shows the wanted wall clock; the earlier when both do.
  const candidates = [Math.min(first, second), Math.max(first, second)];
  for (const ms of candidates) if (wallAsUtc(wallClockAt(ms, zone)) === local) return ms;
  return first;
}
