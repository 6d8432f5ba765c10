import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runBackupBench } from "./backup.js";
import { runChunkingBench } from "./backup-chunking.js";
import { docsPage, type Environment, NOUNS, type Section } from "./docs.js";
import { applyEdits, planEdits } from "./edit.js";
import { applyEventEdits, planEventEdits } from "./edit-ics.js";
import { generateVdir } from "./generate.js";
import { generateEventVdir } from "./generate-ics.js";
import { iosTable, runIosPart, withIosSection } from "./ios.js";
import { medianOf } from "./median.js";
import { BOTH_SIDES, type PartResult, type PartSpec, runPart } from "./part.js";
import { hasGnuTime, vdirsyncerVersion } from "./peers.js";
import { runPhotosBench, withPhotosSection } from "./photos.js";
import { checkTable, resultTable } from "./table.js";

/**
 * `npm run bench`: Cradle against vdirsyncer, vdir to vdir, on the same generated contacts and
 * events, then the device side (ios: ↔ vdir:, bench/ios.ts). `--only contacts|calendars|ios` runs one
 * part; `--contacts N`, `--events N` set the sizes.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DATA_SEED = 20240601;
const EDIT_SEED = 7;

const log = (msg: string) => process.stderr.write(`${msg}\n`);

function contactsPart(count: number): PartSpec {
  return {
    name: "contacts",
    ext: ".vcf",
    count,
    targets: [
      { minSpeedup: 3, maxRssMb: 150 },
      { minSpeedup: 5, maxRssMb: 150 },
      { minSpeedup: 3, maxRssMb: 150 },
    ],
    async generate(dir) {
      const g = await generateVdir(dir, count, DATA_SEED);
      const plan = planEdits(g.uids, Math.round(count / 100), BOTH_SIDES, EDIT_SEED);
      return { plan, apply: (d, side) => applyEdits(d, side, plan) };
    },
  };
}

function calendarsPart(count: number): PartSpec {
  return {
    name: "calendars",
    ext: ".ics",
    count,
    targets: [
      { minSpeedup: 3, maxRssMb: 250 },
      { minSpeedup: 5, maxSeconds: 0.7, maxRssMb: 250 },
      { minSpeedup: 3, maxSeconds: 1.5, maxRssMb: 250 },
    ],
    async generate(dir) {
      const g = await generateEventVdir(dir, count, DATA_SEED);
      const plan = planEventEdits(g.uids, g.series, Math.round(count / 100), BOTH_SIDES, EDIT_SEED);
      return { plan, apply: (d, side) => applyEventEdits(d, side, plan) };
    },
  };
}

function size(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 100) throw new Error(`--${flag} must be an integer ≥ 100`);
  return n;
}

function nproc(): string {
  const r = spawnSync("nproc", { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : String(cpus().length);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      contacts: { type: "string", default: "10000" },
      events: { type: "string", default: "20000" },
      photos: { type: "string", default: "50000" },
      only: { type: "string" },
      repeat: { type: "string", default: "3" },
      "no-docs": { type: "boolean" },
      "backup-mib": { type: "string", default: "256" },
    },
  });
  const only = values.only;
  if (only === "backup-chunking") return runChunkingBench(ROOT, size(values["backup-mib"], "backup-mib"));
  if (only === "backup")
    return runBackupBench(ROOT, size(values["backup-mib"], "backup-mib"), !values["no-docs"]);
  if (
    only !== undefined &&
    only !== "contacts" &&
    only !== "calendars" &&
    only !== "ios" &&
    only !== "photos"
  )
    throw new Error("--only must be contacts, calendars, ios, photos, backup or backup-chunking");
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error("--repeat must be a positive integer");
  const parts: PartSpec[] = [];
  if (only === undefined || only === "contacts") parts.push(contactsPart(size(values.contacts, "contacts")));
  if (only === undefined || only === "calendars") parts.push(calendarsPart(size(values.events, "events")));
  if (!existsSync(join(ROOT, "dist/cli/main.js")))
    throw new Error("dist/cli/main.js missing: run npm run build");

  const vVersion = vdirsyncerVersion();
  if (!vVersion)
    log(
      "vdirsyncer not found on PATH: its rows are skipped. Install it (e.g. apt-get install vdirsyncer) to compare.",
    );
  if (!hasGnuTime())
    log("GNU time (/usr/bin/time) not found: peak RSS is not measured (apt-get install time).");

  const sections: Section[] = [];
  let wrong = false;
  for (const spec of parts) {
    const runs: PartResult[] = [];
    for (let i = 0; i < repeat; i++) {
      if (repeat > 1) log(`\n${spec.name}: run ${i + 1} of ${repeat}`);
      runs.push(await runPart(spec, ROOT, vVersion !== undefined));
    }
    const r = medianOf(runs);
    const [noun, dataNoun] = NOUNS[spec.name];
    const results = resultTable(r.rows, r.stateBytes, r.dataBytes, dataNoun);
    const checks = checkTable(r.rows, noun);
    process.stdout.write(`\n## ${spec.name}\n\n${results}\n\n${checks}\n\n${r.notes.join("\n")}\n`);
    sections.push({
      repeat,
      part: spec.name,
      count: spec.count,
      dataBytes: r.dataBytes,
      results,
      checks,
      notes: r.notes,
    });
    wrong ||= r.rows.some((row) => row.cradle.error || (row.cradle.check && !row.cradle.check.ok));
  }

  const ios =
    only === undefined || only === "ios"
      ? await runIosPart(
          ROOT,
          join(ROOT, "bench", ".work"),
          size(values.contacts, "contacts"),
          size(values.events, "events"),
        )
      : undefined;
  if (ios) {
    process.stdout.write(
      `\n## ios\n\n${iosTable(ios)}\n${ios.problems.map((p) => `PROBLEM: ${p}\n`).join("")}`,
    );
    wrong ||= ios.problems.length > 0;
  }

  let photos: { section: string; ok: boolean } | undefined;
  if (only === undefined || only === "photos") {
    photos = await runPhotosBench(ROOT, size(values.photos, "photos"), 200);
    process.stdout.write(`\n${photos.section}\n`);
    wrong ||= !photos.ok;
  }

  if (!values["no-docs"]) {
    const env: Environment = {
      date: `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
      nproc: nproc(),
      cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
      node: process.version,
      vdirsyncer: vVersion ?? "not installed",
    };
    const page = join(ROOT, "docs", "benchmarks.md");
    await mkdir(dirname(page), { recursive: true });
    const old = await readFile(page, "utf8").catch(() => "");
    let written = docsPage(env, sections, old);
    if (ios) written = withIosSection(written, ios, env.date);
    if (photos) written = withPhotosSection(written, photos.section);
    await writeFile(page, written);
    log(`\nwrote ${page}`);
  }
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
