import { cp, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { cradlePeer, type Peer, vdirsyncerPeer } from "./peers.js";
import type { ScenarioRow, ToolRun } from "./table.js";
import { dirBytes, fileBytes, type MarkedPlan, vdirBytes, verify } from "./verify.js";

/** One part of the bench (contacts or calendars): three scenarios, each tool on its own copy. */

export const BOTH_SIDES = 20;

export interface Target {
  /** Minimum vdirsyncer/Cradle time ratio. */
  minSpeedup: number;
  /** Maximum Cradle wall time in seconds, where the issue sets one. */
  maxSeconds?: number;
  /** Maximum Cradle peak RSS in MB (contacts 150, calendars 250, as their issues set). */
  maxRssMb: number;
}

export interface PartSpec {
  name: "contacts" | "calendars";
  ext: ".vcf" | ".ics";
  count: number;
  targets: [first: Target, noChange: Target, edited: Target];
  /** Writes the data set to `dir`; returns scenario 3's edit plan and how to apply one side of it. */
  generate(dir: string): Promise<{ plan: MarkedPlan; apply(dir: string, side: "A" | "B"): Promise<unknown> }>;
}

export interface PartResult {
  rows: ScenarioRow[];
  dataBytes: number;
  stateBytes?: number;
  notes: string[];
}

interface Lane {
  peer: Peer;
  dirA: string;
  dirB: string;
  failed?: string;
}

const log = (msg: string) => process.stderr.write(`${msg}\n`);

async function lane(
  spec: PartSpec,
  root: string,
  tool: "cradle" | "vdirsyncer",
  base: string,
): Promise<Lane> {
  const work = join(base, "..", tool);
  const dirA = join(work, "A");
  const dirB = join(work, "B");
  await mkdir(work, { recursive: true });
  await cp(base, dirA, { recursive: true });
  await mkdir(dirB, { recursive: true });
  const peer =
    tool === "cradle"
      ? cradlePeer(root, work, dirA, dirB, spec.name)
      : vdirsyncerPeer(work, dirA, dirB, spec.ext);
  return { peer, dirA, dirB };
}

/** One sync of one tool, measured and verified; a failure stops that tool's later scenarios. */
async function step(spec: PartSpec, l: Lane, scenario: string, plan?: MarkedPlan): Promise<ToolRun> {
  if (l.failed) return { error: `skipped after earlier failure: ${l.failed}` };
  try {
    const m = await l.peer.sync();
    const check = await verify(l.dirA, l.dirB, spec.ext, spec.count, plan);
    log(
      `  ${l.peer.name.padEnd(10)} ${m.seconds.toFixed(2)} s, ${m.rssMb?.toFixed(0) ?? "?"} MB` +
        `${check.ok ? "" : `  PROBLEM: ${check.problems.join("; ")}`}`,
    );
    return { seconds: m.seconds, rssMb: m.rssMb, check };
  } catch (error) {
    l.failed = `${scenario}: ${(error as Error).message.split("\n")[0]}`;
    log(`  ${l.peer.name} FAILED: ${(error as Error).message}`);
    return { error: (error as Error).message };
  }
}

const MB = (bytes: number) => (bytes / 1048576).toFixed(1);

export async function runPart(spec: PartSpec, root: string, withVdirsyncer: boolean): Promise<PartResult> {
  const work = join(root, "bench", ".work", spec.name);
  await rm(work, { recursive: true, force: true });
  const base = join(work, "base");
  log(`\n${spec.name}: generating ${spec.count} in ${base}`);
  const data = await spec.generate(base);
  const dataBytes = await vdirBytes(base, spec.ext);

  const lanes: Lane[] = [];
  if (withVdirsyncer) lanes.push(await lane(spec, root, "vdirsyncer", base));
  lanes.push(await lane(spec, root, "cradle", base));
  const vd = lanes.find((l) => l.peer.name === "vdirsyncer");
  const cr = lanes.find((l) => l.peer.name === "Cradle") as Lane;
  const notes: string[] = [];
  for (const l of lanes) {
    const setup = await l.peer.setup().catch((error: Error) => {
      l.failed = `setup: ${error.message.split("\n")[0]}`;
      log(`${l.peer.name} setup FAILED: ${error.message}`);
      return undefined;
    });
    if (setup) notes.push(`vdirsyncer discover (not counted): ${setup.seconds.toFixed(2)} s.`);
  }

  const rows: ScenarioRow[] = [];
  const scenario = async (name: string, target: Target, plan?: MarkedPlan) => {
    log(name);
    const row: ScenarioRow = { name, ...target, cradle: {} };
    if (vd) row.vdirsyncer = await step(spec, vd, name, plan);
    row.cradle = await step(spec, cr, name, plan);
    rows.push(row);
  };
  const state = join(work, "cradle", "cradle-state.sqlite");
  const [first, noChange, edited] = spec.targets;

  await scenario("1. first sync into empty side", first);
  const stateAfterFirst = await fileBytes(state, ["-wal", "-shm"]);
  await scenario("2. resync, no change", noChange);
  for (const l of lanes) {
    if (l.failed) continue;
    await data.apply(l.dirA, "A");
    await data.apply(l.dirB, "B");
  }
  await scenario(`3. resync, 1% edited per side + ${BOTH_SIDES} on both³`, edited, data.plan);

  const stateBytes = cr.failed ? undefined : await fileBytes(state, ["-wal", "-shm"]);
  notes.push(
    `Cradle state after scenario 1: ${MB(stateAfterFirst)} MB; after 3: ${stateBytes === undefined ? "n/a" : MB(stateBytes)} MB.`,
  );
  if (vd && !vd.failed) {
    const status = await dirBytes(join(work, "vdirsyncer", "vdirsyncer-status"));
    notes.push(`vdirsyncer status after scenario 3: ${MB(status)} MB.`);
  }
  if (!vd) notes.push("vdirsyncer was not installed: its columns are empty.");
  return { rows, dataBytes, stateBytes, notes };
}
