import { parseArgs } from "node:util";
import { listSnapshots } from "../../backup/snapshot.js";
import { UsageError } from "../../core/errors.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";
import { formatBytes, openRepo, REPO_HELP, REPO_OPTIONS } from "../repo-options.js";

export const snapshotsCommand: Command = {
  usage: "cradle snapshots [--repo DIR] [--device UDID] [--json]",
  summary: "list the snapshots in a backup repository, oldest first",
  help: `--json prints an array, oldest first, of {id, time, udid, name, productVersion, source,
files, bytes, missing}.

  --device UDID         only this device's snapshots
${REPO_HELP}

${EXIT_STATUS}`,
  async run(args, out) {
    const { values, positionals } = asUsage(() =>
      parseArgs({ args, allowPositionals: true, options: { ...REPO_OPTIONS, device: { type: "string" } } }),
    );
    if (positionals.length > 0) throw new UsageError("snapshots takes no arguments besides its options.");
    const repo = await openRepo(values);
    const rows = (await listSnapshots(repo))
      .filter((s) => values.device === undefined || s.device.udid === values.device)
      .map((s) => ({
        id: s.id,
        time: s.time,
        udid: s.device.udid,
        name: s.device.name,
        productVersion: s.device.productVersion ?? null,
        source: s.source,
        files: s.files,
        bytes: s.bytes,
        missing: s.missing.length,
      }));
    out.data(rows, () =>
      rows.length === 0
        ? `no snapshots in ${repo.root}`
        : rows
            .map(
              (r) =>
                `${r.id.slice(0, 8)}  ${r.time}  ${r.name} (${r.udid})  iOS ${r.productVersion ?? "?"}  ${r.files} files, ${formatBytes(r.bytes)}`,
            )
            .join("\n"),
    );
    return 0;
  },
};
