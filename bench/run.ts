import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { docsPage, type Environment, NOUNS, type Section } from "./docs.js";
import { applyEdits, planEdits } from "./edit.js";
import { applyEventEdits, planEventEdits } from "./edit-ics.js";
import { generateVdir } from "./generate.js";
import { generateEventVdir } from "./generate-ics.js";
import { BOTH_SIDES, type PartSpec, runPart } from "./part.js";
import { hasGnuTime, vdirsyncerVersion } from "./peers.js";
import { runPhotosBench, withPhotosSection } from "./photos.js";
import { checkTable, resultTable } from "./table.js";

/**
 * `npm run bench`: Cradle against vdirsyncer, vdir to vdir, on the same generated contacts and
 * events. `--only contacts|calendars` runs one part; `--contacts N`, `--events N` set the sizes.
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
    targets: [{ minSpeedup: 3 }, { minSpeedup: 5 }, { minSpeedup: 3 }],
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
    targets: [{ minSpeedup: 3 }, { minSpeedup: 5, maxSeconds: 0.7 }, { minSpeedup: 3, maxSeconds: 1.5 }],
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
      "no-docs": { type: "boolean" },
    },
  });
  const only = values.only;
  if (only !== undefined && only !== "contacts" && only !== "calendars" && only !== "photos")
    throw new Error("--only must be contacts, calendars or photos");
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
    const r = await runPart(spec, ROOT, vVersion !== undefined);
    const [noun, dataNoun] = NOUNS[spec.name];
    const results = resultTable(r.rows, r.stateBytes, r.dataBytes, dataNoun);
    const checks = checkTable(r.rows, noun);
    process.stdout.write(`\n## ${spec.name}\n\n${results}\n\n${checks}\n\n${r.notes.join("\n")}\n`);
    sections.push({
      part: spec.name,
      count: spec.count,
      dataBytes: r.dataBytes,
      results,
      checks,
      notes: r.notes,
    });
    wrong ||= r.rows.some((row) => row.cradle.error || (row.cradle.check && !row.cradle.check.ok));
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
    const written = docsPage(env, sections, old);
    await writeFile(page, photos ? withPhotosSection(written, photos.section) : written);
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
