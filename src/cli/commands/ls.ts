import { parseArgs } from "node:util";
import { findSnapshot } from "../../backup/find-snapshot.js";
import { loadTree } from "../../backup/snapshot.js";
import { UsageError } from "../../core/errors.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";
import { openRepo, REPO_HELP, REPO_OPTIONS } from "../repo-options.js";

export const lsCommand: Command = {
  usage: "cradle ls SNAP [PATH] [--repo DIR] [--json]",
  summary: "list the files of a snapshot",
  help: `SNAP is a snapshot id, a unique prefix of one, or "latest". PATH limits the list to entries
whose relative path (e.g. Library/SMS) or domain and path (HomeDomain/Library/SMS) starts with it.
--json prints an array of {domain, relativePath, kind, mode, mtime, size, linkTarget?}.

${REPO_HELP}

${EXIT_STATUS}`,
  async run(args, out) {
    const { values, positionals } = asUsage(() =>
      parseArgs({ args, allowPositionals: true, options: REPO_OPTIONS }),
    );
    const [name, prefix, ...extra] = positionals;
    if (!name || extra.length > 0) throw new UsageError("ls takes SNAP and an optional PATH.");
    const repo = await openRepo(values);
    const snapshot = await findSnapshot(repo, name);
    const under = (path: string) =>
      prefix === undefined ||
      path === prefix ||
      path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);
    const rows = (await loadTree(repo, snapshot))
      .filter((e) => under(e.relativePath) || under(`${e.domain}/${e.relativePath}`))
      .map(({ chunks: _chunks, ...entry }) => entry);
    out.data(rows, () =>
      rows
        .map(
          (e) =>
            `${e.kind === "dir" ? "d" : e.kind === "symlink" ? "l" : "-"} ${e.mode.toString(8).padStart(4, "0")} ${String(e.size).padStart(10)} ${new Date(e.mtime).toISOString()} ${e.domain}/${e.relativePath}${e.linkTarget ? ` -> ${e.linkTarget}` : ""}`,
        )
        .join("\n"),
    );
    return 0;
  },
};
