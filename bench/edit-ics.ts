import { readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { uidFiles } from "./edit.js";
import { Rng } from "./prng.js";
import { escapeText, toText, unfold } from "./vcf-lines.js";

/**
 * The "1% of events edited on each side" change set. Each edit leaves a unique marker in the
 * .ics so the bench can check afterwards that it reached both sides. An edit touches the
 * master VEVENT, or ("override") the first RECURRENCE-ID component of a series, and stamps
 * that component's LAST-MODIFIED and DTSTAMP as a calendar app would.
 */
export type EventEditKind = "summary" | "location" | "description" | "override";

export interface EventEdit {
  side: "A" | "B";
  uid: string;
  kind: EventEditKind;
  marker: string;
}

export interface EventEditPlan {
  edits: EventEdit[];
  /** UIDs edited on both sides: A changes SUMMARY, B LOCATION (or, for series, one override). */
  both: string[];
}

const KINDS: EventEditKind[] = ["summary", "location", "description"];

/** `perSide` events for each side alone plus `both` on both sides, all disjoint; half the latter are series. */
export function planEventEdits(
  uids: string[],
  series: string[],
  perSide: number,
  both: number,
  seed: number,
): EventEditPlan {
  const rng = new Rng(seed);
  const isSeries = new Set(series);
  const order = rng.shuffle(uids);
  const edits: EventEdit[] = [];
  const add = (side: "A" | "B", uid: string, kind: EventEditKind) =>
    edits.push({ side, uid, kind, marker: `bench-${kind}-${side}-${String(edits.length).padStart(5, "0")}` });
  order.slice(0, 2 * perSide).forEach((uid, i) => {
    const kind = isSeries.has(uid) && i % 2 === 0 ? "override" : (KINDS[i % KINDS.length] as EventEditKind);
    add(i < perSide ? "A" : "B", uid, kind);
  });
  const rest = order.slice(2 * perSide);
  const bothSeries = rest.filter((u) => isSeries.has(u)).slice(0, Math.floor(both / 2));
  const bothPlain = rest.filter((u) => !isSeries.has(u)).slice(0, both - bothSeries.length);
  for (const uid of bothPlain) {
    add("A", uid, "summary");
    add("B", uid, "location");
  }
  for (const uid of bothSeries) {
    add("A", uid, "summary");
    add("B", uid, "override");
  }
  return { edits, both: [...bothPlain, ...bothSeries] };
}

/** [begin, end) of the master VEVENT, or of the first override. */
function component(lines: string[], override: boolean): [number, number] {
  for (let b = lines.indexOf("BEGIN:VEVENT"); b >= 0; b = lines.indexOf("BEGIN:VEVENT", b + 1)) {
    const e = lines.indexOf("END:VEVENT", b);
    const isOverride = lines.slice(b, e).some((l) => /^RECURRENCE-ID[;:]/i.test(l));
    if (isOverride === override) return [b, e];
  }
  throw new Error(`no ${override ? "override" : "master"} VEVENT`);
}

/** Sets (or, with `append`, extends) a property of the component, ignoring nested VALARMs. */
function setProp(lines: string[], [b, e]: [number, number], name: string, text: string, append?: string) {
  let depth = 0;
  let insertAt = e;
  for (let i = b + 1; i < e; i++) {
    const line = lines[i] as string;
    if (line.startsWith("BEGIN:")) {
      if (depth === 0 && insertAt === e) insertAt = i;
      depth++;
    } else if (line.startsWith("END:")) depth--;
    else if (depth === 0 && line.toUpperCase().startsWith(`${name}:`)) {
      lines[i] = append === undefined ? `${name}:${text}` : `${line}${append}`;
      return;
    }
  }
  lines.splice(insertAt, 0, `${name}:${text}`);
}

function applyEdit(lines: string[], edit: EventEdit, now: string): string[] {
  const out = [...lines];
  const at = component(out, edit.kind === "override");
  const m = edit.marker;
  if (edit.kind === "location") setProp(out, at, "LOCATION", m);
  else if (edit.kind === "description")
    setProp(out, at, "DESCRIPTION", escapeText(`Änderung ✓ ${m}`), escapeText(`\nÄnderung ✓ ${m}`));
  else setProp(out, at, "SUMMARY", m, ` – ${m}`);
  setProp(out, at, "LAST-MODIFIED", now);
  setProp(out, at, "DTSTAMP", now);
  return out;
}

/** Applies one side's edits to a vdir in place and moves each file's mtime forward. */
export async function applyEventEdits(dir: string, side: "A" | "B", plan: EventEditPlan): Promise<number> {
  const files = await uidFiles(dir, ".ics");
  const later = new Date(Date.now() + 2000);
  const now = `${later.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
  let n = 0;
  for (const edit of plan.edits.filter((e) => e.side === side)) {
    const name = files.get(edit.uid);
    if (!name) throw new Error(`${edit.uid} not found in ${dir}`);
    const path = join(dir, name);
    const lines = unfold(await readFile(path, "utf8"));
    await writeFile(path, toText(applyEdit(lines, edit, now)));
    await utimes(path, later, later);
    n++;
  }
  return n;
}
