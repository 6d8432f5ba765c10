import { join } from "node:path";
import { acquireLock } from "../../state/lock.js";
import type { Repository } from "./repository.js";

/** restic's rule: a lock from another host not refreshed for 30 minutes is stale. */
const STALE_AFTER_MS = 30 * 60 * 1000;

/** Runs `work` holding the repository's writer lock (backup, forget, prune). */
export async function withWriterLock<T>(repo: Repository, work: () => Promise<T>): Promise<T> {
  const release = acquireLock(join(repo.paths.locks, "writer"), { staleAfterMs: STALE_AFTER_MS });
  try {
    return await work();
  } finally {
    release();
  }
}
