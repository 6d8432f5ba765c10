import { parseArgs } from "node:util";
import { diffSnapshots } from "../../backup/diff.js";
import { findSnapshot } from "../../backup/find-snapshot.js";
import { UsageError } from "../../core/errors.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";
import { openRepo, REPO_HELP, REPO_OPTIONS } from "../repo-options.js";

export const diffCommand: Command = {
  usage: "cradle diff SNAP SNAP [--repo DIR] [--json]",
  summary: "show what changed between two snapshots",
  help: `Lists entries added (+), removed (-), changed in content (M) and changed only in mode or
mtime (U), from the first SNAP to the second. SNAP is an id, a unique prefix or "latest".
--json prints {from, to, added, removed, modified, metadata}, each an array of entries.

${REPO_HELP}

${EXIT_STATUS}`,
  async run(args, out) {
    const { values, positionals } = asUsage(() =>
      parseArgs({ args, allowPositionals: true, options: REPO_OPTIONS }),
    );
    if (positionals.length !== 2) throw new UsageError("diff takes two snapshots: SNAP SNAP.");
    const repo = await openRepo(values);
    const from = await findSnapshot(repo, positionals[0] as string);
    const to = await findSnapshot(repo, positionals[1] as string);
    const diff = await diffSnapshots(repo, from, to);
    const strip = <T extends { chunks?: string[] }>({ chunks: _chunks, ...rest }: T) => rest;
    const json = {
      from: from.id,
      to: to.id,
      added: diff.added.map(strip),
      removed: diff.removed.map(strip),
      modified: diff.modified.map(strip),
      metadata: diff.metadata.map(strip),
    };
    const line = (mark: string) => (e: { domain: string; relativePath: string }) =>
      `${mark} ${e.domain}/${e.relativePath}`;
    out.data(json, () =>
      [
        ...diff.added.map(line("+")),
        ...diff.removed.map(line("-")),
        ...diff.modified.map(line("M")),
        ...diff.metadata.map(line("U")),
        `${diff.added.length} added, ${diff.removed.length} removed, ${diff.modified.length} changed, ${diff.metadata.length} with new mode or mtime`,
      ].join("\n"),
    );
    return 0;
  },
};
