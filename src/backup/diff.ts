/** `diff`: what changed between two snapshots, entry by entry. */
import type { Repository } from "./repository/repository.js";
import { entryKey, loadTree, type Snapshot, type SnapshotEntry } from "./snapshot.js";

export interface SnapshotDiff {
  added: SnapshotEntry[];
  removed: SnapshotEntry[];
  /** Content differs (another chunk list, size or link target). */
  modified: SnapshotEntry[];
  /** Same content, other mode or mtime. */
  metadata: SnapshotEntry[];
}

const sameContent = (a: SnapshotEntry, b: SnapshotEntry) =>
  a.kind === b.kind &&
  a.size === b.size &&
  a.linkTarget === b.linkTarget &&
  (a.chunks ?? []).join() === (b.chunks ?? []).join();

export async function diffSnapshots(repo: Repository, from: Snapshot, to: Snapshot): Promise<SnapshotDiff> {
  const before = new Map((await loadTree(repo, from)).map((e) => [entryKey(e), e]));
  const result: SnapshotDiff = { added: [], removed: [], modified: [], metadata: [] };
  for (const after of await loadTree(repo, to)) {
    const old = before.get(entryKey(after));
    before.delete(entryKey(after));
    if (!old) result.added.push(after);
    else if (!sameContent(old, after)) result.modified.push(after);
    else if (old.mode !== after.mode || old.mtime !== after.mtime) result.metadata.push(after);
  }
  result.removed = [...before.values()];
  return result;
}
