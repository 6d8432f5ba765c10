import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

/** The two tools under test, each run as a whole process and measured from outside. */

export interface Measured {
  seconds: number;
  /** Peak resident set size in MB, or undefined without GNU time. */
  rssMb: number | undefined;
  /** User plus system CPU seconds, or undefined without GNU time. */
  cpuSeconds: number | undefined;
  stdout: string;
  stderr: string;
}

const GNU_TIME = "/usr/bin/time";

export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME) && spawnSync(GNU_TIME, ["-f", "%M", "true"]).status === 0;
}

/** Runs a command to completion; wall time from here, CPU and peak RSS (KB) from GNU time. */
export async function measure(cmd: string, args: string[], tmp: string, input?: string): Promise<Measured> {
  const timeFile = join(tmp, "time.out");
  const useTime = hasGnuTime();
  const [file, argv] = useTime ? [GNU_TIME, ["-f", "%U %S %M", "-o", timeFile, cmd, ...args]] : [cmd, args];
  const started = process.hrtime.bigint();
  const child = spawn(file, argv, { stdio: ["pipe", "pipe", "pipe"] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (d: Buffer) => out.push(d));
  child.stderr.on("data", (d: Buffer) => err.push(d));
  child.stdin.on("error", () => undefined);
  child.stdin.end(input ?? "");
  const code = await new Promise<number | null>((done, fail) => {
    child.on("error", fail);
    child.on("close", done);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stdout = Buffer.concat(out).toString("utf8");
  const stderr = Buffer.concat(err).toString("utf8");
  if (code !== 0)
    throw new Error(
      `${cmd} ${args.join(" ")} exited with ${code}\n${stderr.slice(-2000)}${stdout.slice(-2000)}`,
    );
  let rssMb: number | undefined;
  let cpuSeconds: number | undefined;
  if (useTime) {
    // The last line: a failing command's notice may precede it.
    const line = (await readFile(timeFile, "utf8")).trim().split("\n").pop() ?? "";
    const [user, system, kb] = line.trim().split(/\s+/).map(Number);
    if (Number.isFinite(kb)) rssMb = (kb as number) / 1024;
    if (Number.isFinite(user) && Number.isFinite(system)) cpuSeconds = (user as number) + (system as number);
  }
  return { seconds, rssMb, cpuSeconds, stdout, stderr };
}

export interface Peer {
  name: string;
  /** Anything to do once before the first sync (not timed as a sync). */
  setup(): Promise<Measured | undefined>;
  sync(): Promise<Measured>;
  /** Bytes of the tool's own sync state. */
  stateFiles(): { path: string; kind: "sqlite" | "dir" };
}

/** Cradle's CLI from dist/, with its own state file. */
export function cradlePeer(
  root: string,
  work: string,
  dirA: string,
  dirB: string,
  domain: "contacts" | "calendars",
): Peer {
  const state = join(work, "cradle-state.sqlite");
  const main = resolve(root, "dist/cli/main.js");
  return {
    name: "Cradle",
    async setup() {
      await rm(state, { force: true });
      return undefined;
    },
    sync: () =>
      measure(
        process.execPath,
        [main, "sync", domain, `vdir:${dirA}`, `vdir:${dirB}`, "--state", state, "--json"],
        work,
      ),
    stateFiles: () => ({ path: state, kind: "sqlite" }),
  };
}

export function vdirsyncerVersion(): string | undefined {
  const r = spawnSync("vdirsyncer", ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim().replace(/^vdirsyncer,?\s*(version\s*)?/i, "");
}

/** vdirsyncer with two filesystem storages, a pair with collections = null, "a wins". */
export function vdirsyncerPeer(work: string, dirA: string, dirB: string, ext: ".vcf" | ".ics"): Peer {
  const config = join(work, "vdirsyncer.conf");
  const status = join(work, "vdirsyncer-status");
  const text = `[general]
status_path = ${JSON.stringify(`${status}/`)}

[pair bench]
a = "bench_a"
b = "bench_b"
collections = null
conflict_resolution = "a wins"

[storage bench_a]
type = "filesystem"
path = ${JSON.stringify(dirA)}
fileext = "${ext}"

[storage bench_b]
type = "filesystem"
path = ${JSON.stringify(dirB)}
fileext = "${ext}"
`;
  return {
    name: "vdirsyncer",
    async setup() {
      await rm(status, { recursive: true, force: true });
      await mkdir(status, { recursive: true });
      await writeFile(config, text);
      return measure("vdirsyncer", ["-c", config, "discover"], work, "y\n".repeat(10));
    },
    sync: () => measure("vdirsyncer", ["-c", config, "sync"], work),
    stateFiles: () => ({ path: status, kind: "dir" }),
  };
}
