/** Snapshot dates and policies shared by the retention test and the restic cross-check. */
import { applyPolicy, type RetentionPolicy } from "../../src/backup/retention.js";

/** Local times, as restic reads --time and buckets snapshots; few, because each is a restic run. */
export const DATES = [
  "2025-11-30 09:00:00",
  "2025-12-29 08:00:00", // Monday of ISO week 2026-W01
  "2025-12-31 23:00:00",
  "2026-01-01 07:00:00",
  "2026-01-01 19:00:00",
  "2026-01-03 10:00:00",
  "2026-01-04 22:00:00", // Sunday: still W01
  "2026-01-05 06:00:00", // Monday: W02
  "2026-01-12 12:00:00",
  "2026-02-01 12:00:00",
  "2026-03-01 00:30:00",
];

export const POLICIES: RetentionPolicy[] = [
  { last: 3 },
  { hourly: 3 },
  { daily: 4 },
  { weekly: 3 },
  { monthly: 2 },
  { yearly: 1 },
  { daily: 2, weekly: 2, monthly: 3 },
  { last: 1, monthly: 20 },
];

export const localDate = (text: string) => {
  const [d, t] = text.split(" ") as [string, string];
  const [y, m, day] = d.split("-").map(Number) as [number, number, number];
  const [h, min, s] = t.split(":").map(Number) as [number, number, number];
  return new Date(y, m - 1, day, h, min, s);
};

export const keptBy = (policy: RetentionPolicy, ignoreOldestRule = false) =>
  applyPolicy(DATES, localDate, policy)
    .filter((d) => d.keep && (!ignoreOldestRule || d.reasons.some((r) => !r.startsWith("oldest"))))
    .map((d) => d.item)
    .sort();
