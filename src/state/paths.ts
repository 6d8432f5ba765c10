import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Where Cradle keeps its state. `CRADLE_HOME` moves everything; otherwise the XDG base
 * directory spec applies ($XDG_STATE_HOME, default ~/.local/state).
 */
export function stateHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CRADLE_HOME) return join(env.CRADLE_HOME, "state");
  const xdg = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  return join(xdg, "cradle");
}

/**
 * One state database per domain and group of endpoints: syncing phone+computer and
 * phone+tablet keeps two histories, as vdirsyncer keeps one status per pair.
 */
export function defaultStateFile(
  domain: string,
  endpointUris: string[],
  env: NodeJS.ProcessEnv = process.env,
): string {
  const group = createHash("sha256")
    .update([...endpointUris].sort().join("\n"))
    .digest("hex")
    .slice(0, 16);
  return join(stateHome(env), `${domain}-${group}.sqlite`);
}

/**
 * The default backup repository: $CRADLE_HOME/repo, else $XDG_DATA_HOME/cradle/repo (default
 * ~/.local/share/cradle/repo). Backups are data, not state: they belong under the data home.
 */
export function defaultRepo(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CRADLE_HOME) return join(env.CRADLE_HOME, "repo");
  const xdg = env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share");
  return join(xdg, "cradle", "repo");
}

/** Pair records Cradle made with devices (secrets: mode 0600 files in a 0700 folder). */
export function pairRecordsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateHome(env), "pair-records");
}

/**
 * Sockets of running servers (`cradle device serve`): $CRADLE_HOME/run, else
 * $XDG_RUNTIME_DIR/cradle, else a run folder in the state dir.
 */
export function runDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CRADLE_HOME) return join(env.CRADLE_HOME, "run");
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, "cradle");
  return join(stateHome(env), "run");
}
