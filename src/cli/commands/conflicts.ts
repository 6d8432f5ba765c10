import { parseArgs } from "node:util";
import { listConflicts } from "../../api/conflicts.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";

export const conflictsCommand: Command = {
  usage: "cradle conflicts [--state FILE] [--json]",
  summary: "list conflicts resolved by past syncs, with every side's value",
  help: `Every field that two sides changed differently, the values each side had, which one was
kept and why. Without --state, reads every state database under the state home.

${EXIT_STATUS}`,
  async run(args, out) {
    const { values } = asUsage(() =>
      parseArgs({ args, options: { state: { type: "string" }, json: { type: "boolean" } } }),
    );
    const rows = listConflicts(values.state);
    out.data(rows, () =>
      rows.length === 0
        ? "no conflicts"
        : rows
            .map(
              (c) =>
                `"${c.label}" ${c.field}: ${c.values.map((v) => `${v.endpoint}=${v.value ?? "(deleted)"}`).join(" | ")} → ${c.winner} (${c.reason})`,
            )
            .join("\n"),
    );
    return 0;
  },
};
