import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { type RetentionPolicy, RULES } from "../../src/backup/retention.js";
import { tempDir } from "../backup/phone-tree.js";
import { DATES, keptBy, POLICIES } from "../backup/retention-table.js";
import { withPeer } from "./peer.js";

/**
 * Cradle's forget against the real `restic forget --dry-run` on snapshots taken at chosen dates.
 * restic before 0.16 lacks the "keep the oldest while a rule has counts left" rule, so against
 * it the snapshots kept only by that rule are left out of Cradle's side.
 */
const restic = (env: NodeJS.ProcessEnv, args: string[]) => {
  const r = spawnSync("restic", args, { env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`restic ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};

describe("retention against restic", () => {
  withPeer("restic", "restic")("keeps the same snapshots as restic forget --dry-run", async () => {
    const root = await tempDir("restic-forget");
    const env = {
      RESTIC_REPOSITORY: join(root, "repo"),
      RESTIC_PASSWORD: "x",
      RESTIC_CACHE_DIR: join(root, "cache"),
    };
    const data = join(root, "data");
    mkdirSync(data);
    writeFileSync(join(data, "f"), "x");
    restic(env, ["init", "-q"]);
    for (const time of DATES) restic(env, ["backup", "-q", "--host", "phone", "--time", time, data]);
    const [major, minor] = (/restic (\d+)\.(\d+)/.exec(restic(env, ["version"])) ?? [])
      .slice(1)
      .map(Number) as [number, number];
    const oldRestic = major === 0 && minor < 16;
    for (const policy of POLICIES) {
      const flags = RULES.flatMap((rule) =>
        policy[rule as keyof RetentionPolicy] ? [`--keep-${rule}`, String(policy[rule])] : [],
      );
      const groups = JSON.parse(restic(env, ["forget", "--dry-run", "--json", ...flags])) as {
        keep: { time: string }[];
      }[];
      const theirs = (groups[0]?.keep ?? []).map((s) => localText(new Date(s.time))).sort();
      expect({ policy, kept: keptBy(policy, oldRestic) }).toEqual({ policy, kept: theirs });
    }
  });
});

function localText(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
