/**
 * `restore`: streams a snapshot's entries, chunk by chunk, into a target. Every path is checked
 * before anything is written; on any error the target's abort() removes what was staged.
 */
import { Readable } from "node:stream";
import { assertSafeRelativePath } from "./domains.js";
import type { Repository } from "./repository/repository.js";
import { loadTree, type Snapshot } from "./snapshot.js";
import { snapshotContent } from "./sources/snapshot.js";
import type { RestoreTarget } from "./tree.js";

export interface RestoreProgress {
  phase: "restore";
  files: number;
  filesTotal: number;
  bytes: number;
  bytesTotal: number;
}

export interface RestoreSummary {
  snapshot: string;
  target: string;
  files: number;
  bytes: number;
  seconds: number;
}

export async function restore(options: {
  repo: Repository;
  snapshot: Snapshot;
  target: RestoreTarget;
  onProgress?: (p: RestoreProgress) => void;
}): Promise<RestoreSummary> {
  const { repo, snapshot, target, onProgress } = options;
  const started = performance.now();
  const entries = await loadTree(repo, snapshot);
  for (const e of entries)
    assertSafeRelativePath(
      e.relativePath,
      `snapshot ${snapshot.id.slice(0, 8)}: ${e.domain}-${e.relativePath}`,
    );
  const progress: RestoreProgress = {
    phase: "restore",
    files: 0,
    filesTotal: entries.length,
    bytes: 0,
    bytesTotal: snapshot.bytes,
  };
  try {
    for (const entry of entries) {
      await target.put(
        entry,
        entry.kind === "file"
          ? Readable.from(
              snapshotContent(repo, entry, (chunk) => {
                progress.bytes += chunk.length;
                onProgress?.(progress);
              }),
            )
          : undefined,
      );
      progress.files++;
      onProgress?.(progress);
    }
    await target.commit(snapshot.device);
  } catch (error) {
    await target.abort();
    throw error;
  } finally {
    await repo.close();
  }
  return {
    snapshot: snapshot.id,
    target: target.uri,
    files: progress.files,
    bytes: progress.bytes,
    seconds: (performance.now() - started) / 1000,
  };
}
