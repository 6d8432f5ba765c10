import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { stateHome } from "../state/paths.js";
import { type ConflictRow, SyncState } from "../state/store.js";

/** The conflict log of one state database, or of every one under the state home. */
export function listConflicts(stateFile?: string): (ConflictRow & { stateFile: string })[] {
  const home = stateHome();
  const files = stateFile
    ? [stateFile]
    : existsSync(home)
      ? readdirSync(home)
          .filter((f) => f.endsWith(".sqlite"))
          .map((f) => join(home, f))
      : [];
  return files.flatMap((file) => {
    const state = SyncState.open(file);
    try {
      return state.conflicts().map((c) => ({ ...c, stateFile: file }));
    } finally {
      state.close();
    }
  });
}
