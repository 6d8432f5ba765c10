import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { StateLockedError } from "./errors.js";

/**
 * A lock file beside the state database, so two runs on the same state never interleave.
 * A lock left by a process that no longer exists is taken over.
 */
export function acquireLock(stateFile: string): () => void {
  const path = `${stateFile}.lock`;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(path, "utf8").trim());
      if (holder && isAlive(holder)) throw new StateLockedError(stateFile, holder);
      unlinkSync(path);
    }
  }
  throw new StateLockedError(stateFile, 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
