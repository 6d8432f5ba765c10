import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";

/** Parallel arrays (cheap to pass between threads): name, change token, mtime in ms. */
export type FileTokens = [names: string[], tokens: string[], mtimes: number[]];

/** Below this many files a worker thread costs more to start than it saves. */
const PARALLEL_FROM = 2000;

/**
 * Change tokens of the regular files `names` in `dir`: mtime (to the microsecond), size and
 * inode, one statSync each. A large listing is split with a worker thread that stats the second
 * half meanwhile: stat calls and building Stats objects are most of a no-change sync.
 */
export async function fileTokens(dir: string, names: string[]): Promise<FileTokens> {
  if (names.length < PARALLEL_FROM) return statTokens(statSync, dir, names);
  const half = names.length >> 1;
  const other = _inWorker(dir, names.slice(half));
  const mine = statTokens(statSync, dir, names.slice(0, half));
  // A worker that failed to start or died leaves its half to this thread: same result, slower.
  const theirs = await other.catch(() => statTokens(statSync, dir, names.slice(half)));
  return [mine[0].concat(theirs[0]), mine[1].concat(theirs[1]), mine[2].concat(theirs[2])];
}

/** Exported for its test only: fileTokens hides a failing worker behind its fallback. */
export function _inWorker(dir: string, names: string[]): Promise<FileTokens> {
  // The worker runs this module's own statTokens, from its source: no separate file to ship or
  // resolve (the same code runs from dist/ and under the test runner).
  const source = `const { parentPort, workerData } = require("node:worker_threads");
const { statSync } = require("node:fs");
parentPort.postMessage((${statTokens.toString()})(statSync, workerData.dir, workerData.names));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { dir, names } });
    worker.once("message", (tokens: FileTokens) => {
      resolve(tokens);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`file-token worker exited with ${code}`)));
  });
}

/** Self-contained (only its arguments): its source also runs inside the worker. */
function statTokens(stat: typeof statSync, dir: string, names: string[]): FileTokens {
  const out: FileTokens = [[], [], []];
  for (const name of names) {
    const s = stat(`${dir}/${name}`, { throwIfNoEntry: false });
    if (!s?.isFile()) continue;
    out[0].push(name);
    out[1].push(`${s.mtimeMs}-${s.size}-${s.ino}`);
    out[2].push(s.mtimeMs);
  }
  return out;
}
