import { SnapshotNotFoundError } from "./repository/errors.js";
import type { Repository } from "./repository/repository.js";
import { listSnapshots, type Snapshot } from "./snapshot.js";

/** SNAP as the commands take it: a full id, a unique id prefix, or "latest" (optionally of one device). */
export async function findSnapshot(repo: Repository, name: string, udid?: string): Promise<Snapshot> {
  const all = (await listSnapshots(repo)).filter((s) => udid === undefined || s.device.udid === udid);
  if (name === "latest") {
    const last = all.at(-1);
    if (!last)
      throw new SnapshotNotFoundError(
        `The repository ${repo.root} has no snapshots yet; run "cradle backup SOURCE" first.`,
        { name },
      );
    return last;
  }
  const matches = all.filter((s) => s.id.startsWith(name));
  if (matches.length === 1) return matches[0] as Snapshot;
  throw new SnapshotNotFoundError(
    matches.length === 0
      ? `No snapshot ${name} in ${repo.root}; "cradle snapshots" lists them.`
      : `${matches.length} snapshots start with ${name}; give more of the id.`,
    { name, matches: matches.length },
  );
}
