import type { PartResult } from "./part.js";
import type { ScenarioRow, ToolRun } from "./table.js";

/**
 * Several runs of one part as one result: per tool and scenario the median time and the median
 * peak RSS (each on its own), the worst correctness check, and every run's times in the notes.
 * The machines are shared: one run can be slowed by a neighbour, the median less so.
 */
export function medianOf(runs: PartResult[]): PartResult {
  const last = runs[runs.length - 1];
  if (!last) throw new Error("no runs to summarise");
  if (runs.length === 1) return last;
  const rows: ScenarioRow[] = last.rows.map((row, i) => {
    const same = runs.map((r) => r.rows[i] as ScenarioRow);
    const vd = same.flatMap((r) => (r.vdirsyncer ? [r.vdirsyncer] : []));
    return {
      ...row,
      cradle: combine(same.map((r) => r.cradle)),
      ...(vd.length > 0 ? { vdirsyncer: combine(vd) } : {}),
    };
  });
  const times = last.rows.map((row, i) => {
    const each = (tool: "cradle" | "vdirsyncer") =>
      runs.map((r) => r.rows[i]?.[tool]?.seconds?.toFixed(2) ?? "n/a").join(", ");
    return `${row.name.split(",")[0]}: Cradle ${each("cradle")} s; vdirsyncer ${each("vdirsyncer")} s.`;
  });
  return {
    ...last,
    rows,
    notes: [...last.notes, `Median of ${runs.length} runs. Each run's times: ${times.join(" ")}`],
  };
}

function combine(runs: ToolRun[]): ToolRun {
  const failed = runs.find((r) => r.error);
  if (failed) return failed;
  const seconds = median(runs.flatMap((r) => (r.seconds === undefined ? [] : [r.seconds])));
  const rssMb = median(runs.flatMap((r) => (r.rssMb === undefined ? [] : [r.rssMb])));
  const check = runs.find((r) => r.check && !r.check.ok)?.check ?? runs[runs.length - 1]?.check;
  return { seconds, rssMb, check };
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
