import type { Check } from "./verify.js";

/** Turning results into the markdown table and docs/benchmarks.md. */

export const RSS_LIMIT_MB = 150;
export const STATE_RATIO_LIMIT = 2;

export interface ToolRun {
  seconds?: number;
  rssMb?: number;
  check?: Check;
  error?: string;
}

export interface ScenarioRow {
  name: string;
  /** Minimum vdirsyncer/Cradle time ratio. */
  minSpeedup: number;
  cradle: ToolRun;
  vdirsyncer?: ToolRun;
}

export interface Environment {
  date: string;
  nproc: string;
  cpu: string;
  node: string;
  vdirsyncer: string;
  contacts: number;
  vcardBytes: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const f = (n: number | undefined, digits = 2) => (n === undefined ? "n/a" : n.toFixed(digits));

function speedup(row: ScenarioRow): number | undefined {
  const v = row.vdirsyncer?.seconds;
  const c = row.cradle.seconds;
  return v !== undefined && c !== undefined && c > 0 ? v / c : undefined;
}

function verdict(row: ScenarioRow): string {
  if (row.cradle.error) return "no: Cradle failed";
  const misses: string[] = [];
  const s = speedup(row);
  if (s !== undefined && s < row.minSpeedup) misses.push(`${s.toFixed(1)}× < ${row.minSpeedup}×`);
  if (row.cradle.rssMb !== undefined && row.cradle.rssMb >= RSS_LIMIT_MB)
    misses.push(`RSS ${row.cradle.rssMb.toFixed(0)} MB`);
  if (row.cradle.check && !row.cradle.check.ok) misses.push("wrong result");
  if (misses.length) return `**no**: ${misses.join(", ")}`;
  const unmeasured = [s === undefined ? "speed" : "", row.cradle.rssMb === undefined ? "RSS" : ""]
    .filter(Boolean)
    .join(", ");
  return unmeasured ? `yes (${unmeasured} not measured)` : "yes";
}

export function resultTable(rows: ScenarioRow[], stateBytes: number | undefined, vcardBytes: number): string {
  const lines = [
    "| scenario | vdirsyncer s | Cradle s | speed-up | Cradle peak RSS MB | target | met? |",
    "|---|---:|---:|---:|---:|---|---|",
  ];
  for (const row of rows) {
    const v = row.vdirsyncer;
    const vs = v === undefined ? "skipped" : v.error ? "failed" : f(v.seconds);
    const cs = row.cradle.error ? "failed" : f(row.cradle.seconds);
    const s = speedup(row);
    const target = `≥${row.minSpeedup}× faster; RSS < ${RSS_LIMIT_MB} MB`;
    lines.push(
      `| ${row.name} | ${vs} | ${cs} | ${s === undefined ? "n/a" : `${s.toFixed(1)}×`} | ${f(row.cradle.rssMb, 0)} | ${target} | ${verdict(row)} |`,
    );
  }
  const ratio = stateBytes === undefined ? undefined : stateBytes / vcardBytes;
  const stateMet =
    ratio === undefined ? "n/a" : ratio < STATE_RATIO_LIMIT ? "yes" : `**no**: ${ratio.toFixed(2)}×`;
  lines.push(
    `| state DB size (incl. -wal) after 3 | — | ${stateBytes === undefined ? "n/a" : `${f(mb(stateBytes), 1)} MB`} | ${ratio === undefined ? "n/a" : `${ratio.toFixed(2)}× vCards`} | — | < ${STATE_RATIO_LIMIT}× vCard bytes (${f(mb(vcardBytes), 1)} MB) | ${stateMet} |`,
  );
  return lines.join("\n");
}

function keptCell(k: { kept: number; total: number } | undefined): string {
  return k === undefined ? "—" : `${k.kept}/${k.total}`;
}

export function checkTable(rows: ScenarioRow[]): string {
  const lines = [
    "| scenario | tool | contacts A / B | same UIDs | edits on both sides after sync | both-side edits merged | peak RSS MB |",
    "|---|---|---:|---|---:|---:|---:|",
  ];
  for (const row of rows) {
    for (const [tool, run] of [
      ["vdirsyncer", row.vdirsyncer],
      ["Cradle", row.cradle],
    ] as const) {
      if (!run) continue;
      const c = run.check;
      const cells = c
        ? `${c.countA} / ${c.countB} | ${c.ok ? "yes" : `**no**: ${c.problems.join("; ")}`} | ${keptCell(c.editsKept)} | ${keptCell(c.bothKept)}`
        : `— | ${run.error ? `failed: ${run.error.split("\n")[0]}` : "—"} | — | —`;
      lines.push(`| ${row.name} | ${tool} | ${cells} | ${f(run.rssMb, 0)} |`);
    }
  }
  return lines.join("\n");
}

export function docsPage(env: Environment, results: string, checks: string, notes: string[]): string {
  return `# Benchmarks

Cradle against [vdirsyncer](https://vdirsyncer.pimutils.org/) syncing contacts between two
vdirs (one \`.vcf\` per contact), on the same generated data in the same run.

## How to run

\`\`\`sh
sudo apt-get install vdirsyncer time   # optional: without vdirsyncer only Cradle's rows run
npm install
npm run bench                          # builds, generates data under bench/.work/, runs, rewrites this file
npm run bench -- --contacts 1000 --no-docs   # a quick run that leaves this file alone
\`\`\`

## What is measured

- **Data**: ${env.contacts.toLocaleString("en")} deterministic (seeded) Apple-style vCard 3.0 contacts: FN/N,
  ORG/TITLE on some, 1–4 TEL with TYPE params, 1–3 EMAIL (some grouped with \`itemN.X-ABLabel\`),
  0–2 ADR, some URL/IMPP/X-SOCIALPROFILE, BDAY (some with \`X-APPLE-OMIT-YEAR\`), a multi-line
  non-ASCII NOTE on ~30 %, an inline base64 JPEG-shaped PHOTO of 2–6 KB on ~10 %, unique UIDs.
- **Scenarios**, each tool on its own copy of identical data: (1) first sync of the full vdir A into an
  empty vdir B; (2) resync with no change; (3) resync after 1 % of contacts were edited on A, a
  different 1 % on B, and 20 more on both sides in different fields (A adds a phone, B edits the
  note). Edits add a phone, change an email or edit a note, and move the file's mtime forward.
- **Commands**: \`node dist/cli/main.js sync contacts vdir:A vdir:B --state S --json\` and
  \`vdirsyncer -c CONF sync\` (two \`filesystem\` storages, \`fileext = ".vcf"\`, \`collections = null\`,
  \`conflict_resolution = "a wins"\`; \`vdirsyncer discover\` runs once before and is not counted).
- **Wall time** of each whole process (start-up included), **peak RSS** from GNU \`time\`'s \`%M\`,
  **state size**: Cradle's SQLite file plus \`-wal\`/\`-shm\` against the bytes of all vCards on one side.
  Speed-up = vdirsyncer seconds / Cradle seconds. Single runs on a warm page cache.
- **Correctness** after every scenario: both sides hold the same set of UIDs, as many as expected,
  and (scenario 3) every edit's unique marker is on both sides. vdirsyncer resolves a both-sides
  edit by keeping A's whole item, so B's edit of those contacts is lost; Cradle merges per field.

## Results

${env.date}, ${env.nproc} CPUs (${env.cpu}), Node ${env.node}, vdirsyncer ${env.vdirsyncer},
${env.contacts.toLocaleString("en")} contacts, ${mb(env.vcardBytes).toFixed(1)} MB of vCards per side.

${results}

³ vdirsyncer runs with \`conflict_resolution = "a wins"\` and overwrites the whole item; Cradle merges the
fields, so both edits survive.

### Correctness

${checks}

${notes.map((n) => `- ${n}`).join("\n")}
`;
}
