import { describe, expect, it } from "vitest";
import { applyPolicy } from "../../src/backup/retention.js";
import { DATES, keptBy, localDate, POLICIES } from "./retention-table.js";

describe("retention (restic's forget rules)", () => {
  it("keeps the newest snapshot of each of the last N days that have one", () => {
    // Two snapshots on 2026-01-01: only the evening one counts for that day.
    expect(keptBy({ daily: 8 })).toEqual([
      "2025-12-31 23:00:00",
      "2026-01-01 19:00:00",
      "2026-01-03 10:00:00",
      "2026-01-04 22:00:00",
      "2026-01-05 06:00:00",
      "2026-01-12 12:00:00",
      "2026-02-01 12:00:00",
      "2026-03-01 00:30:00",
    ]);
  });

  it("buckets weeks Monday to Sunday across a year boundary (ISO weeks)", () => {
    // W01 of 2026 runs 2025-12-29..2026-01-04: its newest snapshot is Sunday's.
    expect(keptBy({ weekly: 6 })).toContain("2026-01-04 22:00:00");
    expect(keptBy({ weekly: 6 })).not.toContain("2025-12-31 23:00:00");
  });

  it("ORs the rules and keeps the oldest snapshot while a rule has counts left", () => {
    const decisions = applyPolicy(DATES, localDate, { last: 1, monthly: 20 });
    const oldest = decisions.at(-1);
    expect(oldest?.item).toBe("2025-11-30 09:00:00");
    expect(oldest?.reasons).toEqual(["monthly"]);
    const onlyLast = applyPolicy(DATES, localDate, { last: 20 });
    expect(onlyLast.every((d) => d.keep)).toBe(true);
    expect(
      applyPolicy(["2026-01-01 08:00:00", "2026-01-01 09:00:00"], localDate, { daily: 5 }).map(
        (d) => d.reasons,
      ),
    ).toEqual([["daily"], ["oldest daily"]]);
  });

  it("never keeps more than the counts allow, the oldest-snapshot rule aside", () => {
    for (const policy of POLICIES) {
      const kept = keptBy(policy, true).length;
      const allowed = Object.values(policy).reduce((a, b) => a + (b ?? 0), 0);
      expect(kept).toBeLessThanOrEqual(allowed);
    }
  });
});
