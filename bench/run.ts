import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { applyEdits, type EditPlan, planEdits } from "./edit.js";
import { generateVdir } from "./generate.js";
import { cradlePeer, hasGnuTime, type Peer, vdirsyncerPeer, vdirsyncerVersion } from "./peers.js";
import {
  checkTable,
  docsPage,
  type Environment,
  resultTable,
  type ScenarioRow,
  type ToolRun,
} from "./table.js";
import { dirBytes, fileBytes, vdirBytes, verify } from "./verify.js";

/** `npm run bench`: Cradle against vdirsyncer, vdir to vdir, on the same generated contacts. */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WORK = join(ROOT, "bench", ".work");
const DATA_SEED = 20240601;
const EDIT_SEED = 7;
const BOTH_SIDES = 20;

const log = (msg: string) => process.stderr.write(`${msg}\n`);

interface Lane {
  peer: Peer;
  dirA: string;
  dirB: string;
  failed?: string;
}

async function lane(tool: "cradle" | "vdirsyncer", base: string): Promise<Lane> {
  const work = join(WORK, tool);
  const dirA = join(work, "A");
  const dirB = join(work, "B");
  await mkdir(work, { recursive: true });
  await cp(base, dirA, { recursive: true });
  await mkdir(dirB, { recursive: true });
  const peer = tool === "cradle" ? cradlePeer(ROOT, work, dirA, dirB) : vdirsyncerPeer(work, dirA, dirB);
  return { peer, dirA, dirB };
}

/** One sync of one tool, measured and verified; a failure stops that tool's later scenarios. */
async function step(l: Lane, scenario: string, expected: number, plan?: EditPlan): Promise<ToolRun> {
  if (l.failed) return { error: `skipped after earlier failure: ${l.failed}` };
  try {
    const m = await l.peer.sync();
    const check = await verify(l.dirA, l.dirB, expected, plan);
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

function nproc(): string {
  const r = spawnSync("nproc", { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : String(cpus().length);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { contacts: { type: "string", default: "10000" }, "no-docs": { type: "boolean" } },
  });
  const count = Number(values.contacts);
  if (!Number.isInteger(count) || count < 100) throw new Error("--contacts must be an integer ≥ 100");
  if (!existsSync(join(ROOT, "dist/cli/main.js")))
    throw new Error("dist/cli/main.js missing: run npm run build");

  const vVersion = vdirsyncerVersion();
  if (!vVersion)
    log(
      "vdirsyncer not found on PATH: its rows are skipped. Install it (e.g. apt-get install vdirsyncer) to compare.",
    );
  if (!hasGnuTime())
    log("GNU time (/usr/bin/time) not found: peak RSS is not measured (apt-get install time).");

  await rm(WORK, { recursive: true, force: true });
  const base = join(WORK, "base");
  log(`generating ${count} contacts in ${base}`);
  const generated = await generateVdir(base, count, DATA_SEED);
  const vcardBytes = await vdirBytes(base);

  const lanes: Lane[] = [];
  if (vVersion) lanes.push(await lane("vdirsyncer", base));
  lanes.push(await lane("cradle", base));
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
  const scenario = async (name: string, minSpeedup: number, plan?: EditPlan) => {
    log(name);
    const row: ScenarioRow = { name, minSpeedup, cradle: {} };
    if (vd) row.vdirsyncer = await step(vd, name, count, plan);
    row.cradle = await step(cr, name, count, plan);
    rows.push(row);
  };

  await scenario("1. first sync into empty side", 3);
  const stateAfterFirst = await fileBytes(join(WORK, "cradle", "cradle-state.sqlite"), ["-wal", "-shm"]);
  await scenario("2. resync, no change", 5);

  const plan = planEdits(generated.uids, Math.round(count / 100), BOTH_SIDES, EDIT_SEED);
  for (const l of lanes) {
    if (l.failed) continue;
    await applyEdits(l.dirA, "A", plan);
    await applyEdits(l.dirB, "B", plan);
  }
  await scenario(`3. resync, 1% edited per side + ${BOTH_SIDES} on both³`, 3, plan);

  const stateBytes = cr.failed
    ? undefined
    : await fileBytes(join(WORK, "cradle", "cradle-state.sqlite"), ["-wal", "-shm"]);
  notes.push(
    `Cradle state after scenario 1: ${(stateAfterFirst / 1048576).toFixed(1)} MB; after 3: ${((stateBytes ?? 0) / 1048576).toFixed(1)} MB.`,
  );
  if (vd && !vd.failed) {
    const status = await dirBytes(join(WORK, "vdirsyncer", "vdirsyncer-status"));
    notes.push(`vdirsyncer status after scenario 3: ${(status / 1048576).toFixed(1)} MB.`);
  }
  if (!vd) notes.push("vdirsyncer was not installed: its columns are empty.");

  const env: Environment = {
    date: `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    nproc: nproc(),
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    node: process.version,
    vdirsyncer: vVersion ?? "not installed",
    contacts: count,
    vcardBytes,
  };
  const results = resultTable(rows, stateBytes, vcardBytes);
  const checks = checkTable(rows);
  process.stdout.write(`\n${results}\n\n${checks}\n\n${notes.join("\n")}\n`);
  if (!values["no-docs"]) {
    const page = join(ROOT, "docs", "benchmarks.md");
    await mkdir(dirname(page), { recursive: true });
    await writeFile(page, docsPage(env, results, checks, notes));
    log(`\nwrote ${page}`);
  }
  const wrong = rows.some((r) => r.cradle.error || (r.cradle.check && !r.cradle.check.ok));
  return wrong ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    log(`bench: ${error.message}`);
    process.exitCode = 2;
  },
);
