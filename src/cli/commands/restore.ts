import { parseArgs } from "node:util";
import { findSnapshot } from "../../backup/find-snapshot.js";
import { openTarget } from "../../backup/locations.js";
import { restore } from "../../backup/restorer.js";
import { UsageError } from "../../core/errors.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";
import { formatBytes, openRepo, REPO_HELP, REPO_OPTIONS, transferProgress } from "../repo-options.js";

export const restoreCommand: Command = {
  usage: "cradle restore SNAP TARGET [--repo DIR] [--json]",
  summary: "write a snapshot back out, byte for byte",
  help: `TARGET is ios:DIR: the home tree as it was backed up, with modes and mtimes (files of app
domains, which have no place in a home tree, are skipped), or backup:DIR: a Finder-compatible
backup folder (Manifest.db, xx/fileID, Manifest.plist, Info.plist, Status.plist with
SnapshotState finished), unencrypted. SNAP is an id, a unique prefix or "latest".
Into ios:DIR, files are staged inside DIR and each is renamed into place whole; into backup:DIR,
the folder is built beside DIR and renamed into place at the end. A failed restore removes what
it staged. Paths that would leave DIR, links leading out of it, and symbolic links met on the
way are refused before anything is written through them.

${REPO_HELP}

${EXIT_STATUS}`,
  async run(args, out) {
    const { values, positionals } = asUsage(() =>
      parseArgs({ args, allowPositionals: true, options: REPO_OPTIONS }),
    );
    if (positionals.length !== 2)
      throw new UsageError("restore takes SNAP and TARGET, e.g. cradle restore latest ios:./restored.");
    const target = openTarget(positionals[1] as string);
    const repo = await openRepo(values);
    const snapshot = await findSnapshot(repo, positionals[0] as string);
    const summary = await restore({ repo, snapshot, target, onProgress: transferProgress(out, "restore") });
    out.done();
    out.data(
      { type: "summary", ...summary },
      () =>
        `restored snapshot ${snapshot.id.slice(0, 8)} to ${target.uri}: ${summary.files} entries, ${formatBytes(summary.bytes)} in ${summary.seconds.toFixed(1)} s`,
    );
    return 0;
  },
};
