import { parseArgs } from "node:util";
import { forget } from "../../backup/prune.js";
import { isEmptyPolicy, type RetentionPolicy, RULES } from "../../backup/retention.js";
import { UsageError } from "../../core/errors.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";
import { formatBytes, openRepo, REPO_HELP, REPO_OPTIONS } from "../repo-options.js";

const RULE_OPTIONS = Object.fromEntries(RULES.map((rule) => [`keep-${rule}`, { type: "string" }])) as Record<
  `keep-${(typeof RULES)[number]}`,
  { type: "string" }
>;

export const forgetCommand: Command = {
  usage:
    "cradle forget [--keep-last N] [--keep-hourly N] [--keep-daily N] [--keep-weekly N] [--keep-monthly N] [--keep-yearly N] [--device UDID] [--prune] [--dry-run] [--repo DIR] [--json]",
  summary: "remove snapshots a retention policy does not keep, and with --prune their data",
  help: `restic's rules, per device: walking from the newest snapshot, --keep-daily N keeps the newest
snapshot of each of the last N days that have one (hourly, weekly (Monday to Sunday), monthly
and yearly likewise; --keep-last N the N newest). A snapshot any rule keeps is kept. A rule that
has counts left also keeps the oldest snapshot. Days are local time.
--prune then deletes the data no remaining snapshot uses. --dry-run only shows the decision.
--json prints {keep: [{id, time, udid, reasons}], remove: [{id, time, udid}], prune?, dryRun}.

${REPO_HELP}

${EXIT_STATUS}`,
  async run(args, out) {
    const { values, positionals } = asUsage(() =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          ...REPO_OPTIONS,
          ...RULE_OPTIONS,
          device: { type: "string" },
          prune: { type: "boolean" },
          "dry-run": { type: "boolean" },
        },
      }),
    );
    if (positionals.length > 0) throw new UsageError("forget takes no arguments besides its options.");
    const policy: RetentionPolicy = {};
    for (const rule of RULES) {
      const value = values[`keep-${rule}`];
      if (value === undefined) continue;
      if (!/^[1-9]\d*$/.test(value))
        throw new UsageError(`--keep-${rule} takes a positive whole number, not "${value}".`);
      policy[rule] = Number(value);
    }
    if (isEmptyPolicy(policy))
      throw new UsageError("forget needs at least one --keep-* rule; it never removes every snapshot.");
    const repo = await openRepo(values);
    const report = await forget({
      repo,
      policy,
      udid: values.device,
      prune: values.prune === true,
      dryRun: values["dry-run"] === true,
    });
    const brief = (s: { id: string; time: string; device: { udid: string } }) => ({
      id: s.id,
      time: s.time,
      udid: s.device.udid,
    });
    const json = {
      keep: report.keep.map((k) => ({ ...brief(k.snapshot), reasons: k.reasons })),
      remove: report.remove.map(brief),
      ...(report.prune ? { prune: report.prune } : {}),
      dryRun: report.dryRun,
    };
    out.data(json, () =>
      [
        ...report.keep.map(
          (k) => `keep   ${k.snapshot.id.slice(0, 8)} ${k.snapshot.time} (${k.reasons.join(", ")})`,
        ),
        ...report.remove.map(
          (s) => `${report.dryRun ? "would remove" : "remove"} ${s.id.slice(0, 8)} ${s.time}`,
        ),
        ...(report.prune
          ? [
              `pruned: ${report.prune.packsDeleted} packs deleted, ${report.prune.packsRewritten} rewritten, ${formatBytes(report.prune.bytesFreed)} freed`,
            ]
          : []),
      ].join("\n"),
    );
    return 0;
  },
};
