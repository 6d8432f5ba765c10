/**
 * The backup part of `npm run bench`: Cradle, restic and borg on the same seeded phone-like tree,
 * in the same run: backup 1, backup 2 after a 1% change, backup 3 with no change, restore,
 * verify (read all data). Each tool runs as a whole process, measured from outside.
 */

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { generatePhoneTree, mutatePhoneTree } from "./backup-tree.js";
import { withSection } from "./docs.js";
import { type Measured, measure } from "./peers.js";

const SEED = 20261204;
const STEPS = [
  "backup 1",
  "backup 2 (1% change)",
  "backup 3 (no change)",
  "restore",
  "verify (read all data)",
] as const;
type Step = (typeof STEPS)[number];

interface Tool {
  name: string;
  version: string;
  init(): void;
  step(step: Step, out: string): Promise<Measured>;
  /** Where the restored tree's files are, inside `out`. */
  restoredRoot(out: string): string;
}

const log = (msg: string) => process.stderr.write(`${msg}\n`);

function duBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const info = statSync(join(dir, name), { throwIfNoEntry: false });
    if (info?.isFile()) total += info.size;
  }
  return total;
}

/** Relative path → sha256 of every regular file under dir. */
function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const full = join(dir, name);
    if (statSync(full).isFile()) out.set(name, createHash("sha256").update(readFileSync(full)).digest("hex"));
  }
  return out;
}

const version = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return r.status === 0 ? (r.stdout.trim().split("\n")[0] ?? "") : undefined;
};

function cradleTool(cli: string, tree: string, repo: string): Tool {
  const env = { CRADLE_PASSWORD: "bench-password" };
  const run = (args: string[]) =>
    measure(
      "env",
      [`CRADLE_PASSWORD=${env.CRADLE_PASSWORD}`, process.execPath, cli, ...args, "--repo", repo],
      join(repo, ".."),
    );
  return {
    name: "cradle",
    version: "this branch",
    init() {},
    step(step, out) {
      if (step === "restore") return run(["restore", "latest", `ios:${out}`]);
      if (step.startsWith("verify")) return run(["verify", "--read-data"]);
      return run(["backup", `ios:${tree}`]);
    },
    restoredRoot: (out) => out,
  };
}

function resticTool(work: string, tree: string, repo: string): Tool {
  const env = [
    `RESTIC_REPOSITORY=${repo}`,
    "RESTIC_PASSWORD=bench-password",
    `RESTIC_CACHE_DIR=${join(work, "restic-cache")}`,
  ];
  const run = (args: string[]) => measure("env", [...env, "restic", ...args], work);
  return {
    name: "restic",
    version: version("restic", ["version"]) ?? "",
    init() {
      const r = spawnSync("env", [...env, "restic", "init", "-q"], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`restic init: ${r.stderr}`);
    },
    step(step, out) {
      if (step === "restore") return run(["restore", "latest", "--target", out, "-q"]);
      if (step.startsWith("verify")) return run(["check", "--read-data", "-q"]);
      return run(["backup", "-q", "--host", "bench", tree]);
    },
    restoredRoot: (out) => join(out, tree),
  };
}

function borgTool(work: string, tree: string, repo: string): Tool {
  const env = [
    `BORG_REPO=${repo}`,
    "BORG_PASSPHRASE=bench-password",
    `BORG_BASE_DIR=${join(work, "borg-home")}`,
  ];
  let archive = 0;
  const run = (args: string[], cwd = work) =>
    measure(
      "sh",
      ["-c", `cd "$0" && exec env ${env.map((e) => `'${e}'`).join(" ")} borg "$@"`, cwd, ...args],
      work,
    );
  return {
    name: "borg",
    version: version("borg", ["--version"]) ?? "",
    init() {
      const r = spawnSync("env", [...env, "borg", "init", "-e", "repokey-blake2"], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`borg init: ${r.stderr}`);
    },
    async step(step, out) {
      if (step === "restore") {
        await mkdir(out, { recursive: true });
        return run(["extract", `::b${archive}`], out);
      }
      if (step.startsWith("verify")) return run(["check", "--verify-data"]);
      archive++;
      return run(["create", `::b${archive}`, "."], tree);
    },
    restoredRoot: (out) => out,
  };
}

interface Row {
  step: Step;
  results: Record<string, { m?: Measured; repoBytes: number; error?: string }>;
}

export async function runBackupBench(root: string, mib: number, writeDocs: boolean): Promise<number> {
  const cli = join(root, "dist/cli/main.js");
  const work = join(root, "bench/.work/backup");
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const tree = join(work, "tree");
  log(`backup bench: generating a ${mib} MiB phone tree...`);
  const stats = generatePhoneTree(cli, tree, mib * 1024 * 1024, SEED);
  const treeBytes = duBytes(tree);
  const tools: Tool[] = [cradleTool(cli, tree, join(work, "cradle-repo"))];
  if (version("restic", ["version"])) tools.push(resticTool(work, tree, join(work, "restic-repo")));
  else log("restic not installed: its column is skipped (apt-get install restic).");
  if (version("borg", ["--version"])) tools.push(borgTool(work, tree, join(work, "borg-repo")));
  else log("borg not installed: its column is skipped (apt-get install borgbackup).");
  for (const t of tools) t.init();
  const repoOf = (t: Tool) => join(work, `${t.name}-repo`);

  const rows: Row[] = [];
  const restoreOk: Record<string, string> = {};
  const original = new Map<string, string>();
  for (const step of STEPS) {
    if (step === "backup 2 (1% change)") mutatePhoneTree(tree, SEED + 1);
    // Library/Lockdown holds the virtual iPhone's private key: Cradle keeps it out of every backup
    // by design (exclusions.ts), so the check compares everything else.
    if (step === "restore")
      for (const [k, v] of hashes(tree)) if (!k.startsWith("Library/Lockdown/")) original.set(k, v);
    const row: Row = { step, results: {} };
    for (const t of tools) {
      const out = join(work, `${t.name}-restored`);
      log(`  ${t.name}: ${step}`);
      try {
        const m = await t.step(step, out);
        row.results[t.name] = { m, repoBytes: duBytes(repoOf(t)) };
      } catch (error) {
        row.results[t.name] = {
          repoBytes: duBytes(repoOf(t)),
          error: (error as Error).message.split("\n")[0],
        };
      }
      if (step === "restore") {
        const got = new Map(
          [...hashes(t.restoredRoot(out))].filter(([k]) => !k.startsWith("Library/Lockdown/")),
        );
        const same = [...original].filter(([k, v]) => got.get(k) === v).length;
        restoreOk[t.name] =
          `${same}/${original.size} files hash-identical${got.size > original.size ? `, ${got.size - original.size} extra` : ""}`;
        await rm(out, { recursive: true, force: true });
      }
    }
    rows.push(row);
  }
  const section = render(rows, tools, treeBytes, stats.files, restoreOk, mib);
  process.stdout.write(`\n${section}\n`);
  if (writeDocs) await writeSection(join(root, "docs/benchmarks.md"), section);
  await rm(work, { recursive: true, force: true });
  return 0;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

function render(
  rows: Row[],
  tools: Tool[],
  treeBytes: number,
  files: number,
  restoreOk: Record<string, string>,
  mib: number,
): string {
  const names = tools.map((t) => t.name);
  const header = `| step | ${names.map((n) => `${n} s`).join(" | ")} | ${names.map((n) => `${n} peak RSS MB`).join(" | ")} | ${names.map((n) => `${n} repo MB`).join(" | ")} |`;
  const sep = `|---|${names.map(() => "---:").join("|")}|${names.map(() => "---:").join("|")}|${names.map(() => "---:").join("|")}|`;
  const cell = (r: Row, n: string, f: (x: { m?: Measured; repoBytes: number; error?: string }) => string) => {
    const x = r.results[n];
    return x ? (x.error ? "failed" : f(x)) : "n/a";
  };
  const lines = rows.map(
    (r) =>
      `| ${r.step} | ${names.map((n) => cell(r, n, (x) => (x.m?.seconds ?? 0).toFixed(2))).join(" | ")} | ${names
        .map((n) => cell(r, n, (x) => (x.m?.rssMb === undefined ? "?" : x.m.rssMb.toFixed(0))))
        .join(" | ")} | ${names.map((n) => cell(r, n, (x) => mb(x.repoBytes))).join(" | ")} |`,
  );
  const secs = (step: Step, n: string) =>
    rows.find((r) => r.step === step)?.results[n]?.m?.seconds ?? Number.NaN;
  const repo = (step: Step, n: string) =>
    rows.find((r) => r.step === step)?.results[n]?.repoBytes ?? Number.NaN;
  const growth = (n: string) => repo("backup 2 (1% change)", n) - repo("backup 1", n);
  const rss = Math.max(...rows.map((r) => r.results.cradle?.m?.rssMb ?? 0));
  const hasRestic = names.includes("restic");
  const check = (ok: boolean) => (ok ? "met" : "**not met**");
  const targets = [
    `- backup 1 throughput: cradle ${mb(treeBytes / secs("backup 1", "cradle"))} MB/s${hasRestic ? `, restic ${mb(treeBytes / secs("backup 1", "restic"))} MB/s: ${check(secs("backup 1", "cradle") <= secs("backup 1", "restic"))}` : ""}`,
    `- repository growth after backup 2: cradle ${mb(growth("cradle"))} MB${hasRestic ? `, restic ${mb(growth("restic"))} MB (target ≤ 1/4 of restic's): ${check(growth("cradle") * 4 <= growth("restic"))}` : ""}${names.includes("borg") ? `, borg ${mb(growth("borg"))} MB` : ""}`,
    `- no-change backup: cradle ${secs("backup 3 (no change)", "cradle").toFixed(2)} s${hasRestic ? `, restic ${secs("backup 3 (no change)", "restic").toFixed(2)} s: ${check(secs("backup 3 (no change)", "cradle") <= secs("backup 3 (no change)", "restic"))}` : ""}`,
    `- cradle peak RSS ${rss.toFixed(0)} MB (target < 256 MB): ${check(rss > 0 && rss < 256)}`,
    ...Object.entries(restoreOk).map(([n, v]) => `- ${n} restore: ${v}`),
  ];
  return `<!-- bench:backup -->
## Backup

${mib} MiB requested: a seeded phone-like home tree of ${mb(treeBytes)} MB in ${files} photos/plists plus
videos, sms.db and Photos.sqlite (real SQLite inserts), on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC,
${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}, ${tools.map((t) => `${t.name} ${t.version}`).join(", ")}.
The 1% change: 300 scattered row updates and 200 inserts in sms.db, two new photos (4.2 MB), 20 plists rewritten.
Restores are compared outside Library/Lockdown (device secrets, which Cradle never backs up).
All three encrypt (cradle AES-256-GCM, restic AES-CTR+Poly1305 with auto compression, borg repokey-blake2 with lz4).
Single runs on a warm page cache; repo MB is the repository's size after the step. Run it with
\`npm run bench -- --only backup --backup-mib ${mib}\`.

${header}
${sep}
${lines.join("\n")}

${targets.join("\n")}
<!-- /bench:backup -->`;
}

async function writeSection(page: string, section: string): Promise<void> {
  const old = await readFile(page, "utf8").catch(() => "");
  await writeFile(page, withSection(old, "backup", section));
  log(`wrote ${page}`);
}
