import type { Target } from "./part.js";
import type { Check } from "./verify.js";

/** Turning one part's results into its two markdown tables. */

export const STATE_RATIO_LIMIT = 2;

export interface ToolRun {
  seconds?: number;
  rssMb?: number;
  check?: Check;
  error?: string;
}

export interface ScenarioRow extends Target {
  name: string;
  cradle: ToolRun;
  vdirsyncer?: ToolRun;
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
  const secs = row.cradle.seconds;
  if (row.maxSeconds !== undefined && secs !== undefined && secs >= row.maxSeconds)
    misses.push(`${secs.toFixed(2)} s ≥ ${row.maxSeconds} s`);
  if (row.cradle.rssMb !== undefined && row.cradle.rssMb >= row.maxRssMb)
    misses.push(`RSS ${row.cradle.rssMb.toFixed(0)} MB`);
  if (row.cradle.check && !row.cradle.check.ok) misses.push("wrong result");
  if (misses.length) return `**no**: ${misses.join(", ")}`;
  const unmeasured = [s === undefined ? "speed" : "", row.cradle.rssMb === undefined ? "RSS" : ""]
    .filter(Boolean)
    .join(", ");
  return unmeasured ? `yes (${unmeasured} not measured)` : "yes";
}

/** `dataNoun` names the files the state is compared with ("vCard", ".ics"). */
export function resultTable(
  rows: ScenarioRow[],
  stateBytes: number | undefined,
  dataBytes: number,
  dataNoun: string,
): string {
  const lines = [
    "| scenario | vdirsyncer s | Cradle s | speed-up | Cradle peak RSS MB | target | met? |",
    "|---|---:|---:|---:|---:|---|---|",
  ];
  for (const row of rows) {
    const v = row.vdirsyncer;
    const vs = v === undefined ? "skipped" : v.error ? "failed" : f(v.seconds);
    const cs = row.cradle.error ? "failed" : f(row.cradle.seconds);
    const s = speedup(row);
    const limit = row.maxSeconds === undefined ? "" : `, < ${row.maxSeconds} s`;
    const target = `≥${row.minSpeedup}× faster${limit}; RSS < ${row.maxRssMb} MB`;
    lines.push(
      `| ${row.name} | ${vs} | ${cs} | ${s === undefined ? "n/a" : `${s.toFixed(1)}×`} | ${f(row.cradle.rssMb, 0)} | ${target} | ${verdict(row)} |`,
    );
  }
  const ratio = stateBytes === undefined ? undefined : stateBytes / dataBytes;
  const stateMet =
    ratio === undefined ? "n/a" : ratio < STATE_RATIO_LIMIT ? "yes" : `**no**: ${ratio.toFixed(2)}×`;
  lines.push(
    `| state DB size (incl. -wal) after 3 | — | ${stateBytes === undefined ? "n/a" : `${f(mb(stateBytes), 1)} MB`} | ${ratio === undefined ? "n/a" : `${ratio.toFixed(2)}× ${dataNoun} bytes`} | — | < ${STATE_RATIO_LIMIT}× ${dataNoun} bytes (${f(mb(dataBytes), 1)} MB) | ${stateMet} |`,
  );
  return lines.join("\n");
}

function keptCell(k: { kept: number; total: number } | undefined): string {
  return k === undefined ? "—" : `${k.kept}/${k.total}`;
}

export function checkTable(rows: ScenarioRow[], noun: string): string {
  const lines = [
    `| scenario | tool | ${noun} A / B | same UIDs | edits on both sides after sync | both-side edits merged | peak RSS MB |`,
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
