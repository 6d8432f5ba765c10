import { parseArgs } from "node:util";
import { verify } from "../../backup/checker.js";
import { UsageError } from "../../core/errors.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";
import { formatBytes, openRepo, REPO_HELP, REPO_OPTIONS } from "../repo-options.js";

export const verifyCommand: Command = {
  usage: "cradle verify [--read-data] [--repo DIR] [--json]",
  summary: "check a backup repository, and with --read-data every byte of it",
  help: `Checks that every snapshot's tree loads, every chunk it names is indexed and every pack the
index names is present and long enough. --read-data also reads every pack and checks each chunk
against its SHA-256 (and its GCM tag when encrypted). Each problem names the files it harms.
Exits 1 when a problem is found. --json prints {snapshots, packs, blobs, readData, bytesRead, problems}.

  --read-data           read and check all data
${REPO_HELP}

${EXIT_STATUS}`,
  async run(args, out) {
    const { values, positionals } = asUsage(() =>
      parseArgs({
        args,
        allowPositionals: true,
        options: { ...REPO_OPTIONS, "read-data": { type: "boolean" } },
      }),
    );
    if (positionals.length > 0) throw new UsageError("verify takes no arguments besides its options.");
    const repo = await openRepo(values);
    const report = await verify({
      repo,
      readData: values["read-data"] === true,
      onProgress: (p) => out.progress(p),
    });
    out.done();
    out.data(report, () =>
      [
        `${report.snapshots} snapshots, ${report.packs} packs, ${report.blobs} blobs${report.readData ? `, ${formatBytes(report.bytesRead)} read` : ""}`,
        ...report.problems.flatMap((p) => [`problem: ${p.message}`, ...p.files.map((f) => `  harms ${f}`)]),
        report.problems.length === 0 ? "no problems found" : `${report.problems.length} problems found`,
      ].join("\n"),
    );
    return report.problems.length === 0 ? 0 : 1;
  },
};
