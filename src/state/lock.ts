import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { StateLockedError } from "./errors.js";

export interface LockOptions {
  /**
   * A lock held from another host (a repository on a shared drive) whose pid cannot be checked
   * is stale once its file is this old; the holder touches it at a quarter of this interval.
   */
  staleAfterMs?: number;
}

/**
 * A lock file beside the state database (or in a repository), so two runs never interleave. The
 * file holds "pid host". A lock left by a process that no longer exists on this host, or one
 * from another host not refreshed for staleAfterMs, is taken over.
 */
export function acquireLock(stateFile: string, options: LockOptions = {}): () => void {
  const path = `${stateFile}.lock`;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, `${process.pid} ${hostname()}`);
      closeSync(fd);
      return holdLock(path, options.staleAfterMs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const [pidText, host] = readFileSync(path, "utf8").trim().split(" ");
      const holder = Number(pidText);
      if (!isStale(path, holder, host, options.staleAfterMs)) throw new StateLockedError(stateFile, holder);
      unlinkSync(path);
    }
  }
  throw new StateLockedError(stateFile, 0);
}

function holdLock(path: string, staleAfterMs: number | undefined): () => void {
  if (staleAfterMs === undefined) return () => unlinkSync(path);
  const timer = setInterval(() => {
    const now = new Date();
    utimesSync(path, now, now);
  }, staleAfterMs / 4);
  timer.unref();
  return () => {
    clearInterval(timer);
    unlinkSync(path);
  };
}

function isStale(
  path: string,
  pid: number,
  host: string | undefined,
  staleAfterMs: number | undefined,
): boolean {
  if (host === undefined || host === hostname()) return !pid || !isAlive(pid);
  return staleAfterMs !== undefined && Date.now() - statSync(path).mtimeMs > staleAfterMs;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
