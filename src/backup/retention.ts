/**
 * `forget` policies with restic's semantics (restic doc/060_forget.rst, internal/data/snapshot_policy.go):
 * - snapshots are walked newest first; each rule keeps the newest snapshot of every calendar bucket
 *   (hour, day, ISO week Monday to Sunday, month, year) until it has kept its count;
 * - buckets without a snapshot do not count; rules are ORed: a snapshot any rule keeps is kept;
 * - a rule with counts left also keeps the oldest snapshot, which maximizes the history kept.
 * Buckets are in local time, as restic reads them. Cradle applies the policy per device.
 */
export interface RetentionPolicy {
  last?: number;
  hourly?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
  yearly?: number;
}

export type RuleName = keyof RetentionPolicy;

export interface Decision<T> {
  item: T;
  keep: boolean;
  /** Rules that kept it ("daily", "oldest weekly"...). */
  reasons: string[];
}

/** ISO 8601 week-numbering year and week (Monday first; week 1 holds the year's first Thursday). */
function isoWeek(d: Date): number {
  const day = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const weekday = (day.getDay() + 6) % 7; // Monday 0
  day.setDate(day.getDate() - weekday + 3); // the Thursday of this week decides the year
  const year = day.getFullYear();
  const firstThursday = new Date(year, 0, 4);
  firstThursday.setDate(firstThursday.getDate() - ((firstThursday.getDay() + 6) % 7) + 3);
  const week = 1 + Math.round((day.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return year * 100 + week;
}

const BUCKETS: Record<RuleName, (d: Date, nr: number) => number> = {
  last: (_d, nr) => nr,
  hourly: (d) => ((d.getFullYear() * 100 + d.getMonth() + 1) * 100 + d.getDate()) * 100 + d.getHours(),
  daily: (d) => (d.getFullYear() * 100 + d.getMonth() + 1) * 100 + d.getDate(),
  weekly: isoWeek,
  monthly: (d) => d.getFullYear() * 100 + d.getMonth() + 1,
  yearly: (d) => d.getFullYear(),
};

export const RULES = Object.keys(BUCKETS) as RuleName[];

/** Decides for each item (any order in; newest first out) whether the policy keeps it. */
export function applyPolicy<T>(
  items: T[],
  timeOf: (item: T) => Date,
  policy: RetentionPolicy,
): Decision<T>[] {
  const sorted = [...items].sort((a, b) => timeOf(b).getTime() - timeOf(a).getTime());
  const state = RULES.map((rule) => ({ rule, count: policy[rule] ?? 0, last: Number.NaN }));
  return sorted.map((item, nr) => {
    const reasons: string[] = [];
    const oldest = nr === sorted.length - 1;
    for (const s of state) {
      if (s.count === 0) continue;
      const value = BUCKETS[s.rule](timeOf(item), nr);
      if (value === s.last && !oldest) continue;
      reasons.push(value === s.last ? `oldest ${s.rule}` : s.rule);
      s.last = value;
      if (s.count > 0) s.count--;
    }
    return { item, keep: reasons.length > 0, reasons };
  });
}

export const isEmptyPolicy = (p: RetentionPolicy) => RULES.every((rule) => !p[rule]);
