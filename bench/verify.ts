import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { uidOf, unfold } from "./vcf-lines.js";

/** What verify needs of an edit plan: each edit's UID and unique marker, and the UIDs edited on both sides. */
export interface MarkedPlan {
  edits: { uid: string; marker: string }[];
  both: string[];
}

/** Checks after each sync: both sides hold the same UIDs, as many as expected. */
export interface Check {
  countA: number;
  countB: number;
  sameUids: boolean;
  ok: boolean;
  /** Edits whose marker is in the card on both sides, of all edits (scenario 3 only). */
  editsKept?: { kept: number; total: number };
  /** Items edited on both sides that kept both edits on both sides. */
  bothKept?: { kept: number; total: number };
  problems: string[];
}

/** UID → unfolded text of every `ext` file in a vdir (.vcf or .ics; the first UID line names it). */
async function items(dir: string, ext: string): Promise<Map<string, string>> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(ext) && !n.startsWith("."));
  const out = new Map<string, string>();
  for (const name of names) {
    const text = await readFile(join(dir, name), "utf8");
    const uid = uidOf(text);
    if (uid !== undefined) out.set(uid, unfold(text).join("\n"));
  }
  return out;
}

export async function verify(
  dirA: string,
  dirB: string,
  ext: string,
  expected: number,
  plan?: MarkedPlan,
): Promise<Check> {
  const [a, b] = await Promise.all([items(dirA, ext), items(dirB, ext)]);
  const problems: string[] = [];
  const onlyA = [...a.keys()].filter((u) => !b.has(u));
  const onlyB = [...b.keys()].filter((u) => !a.has(u));
  if (onlyA.length) problems.push(`${onlyA.length} UIDs only on A`);
  if (onlyB.length) problems.push(`${onlyB.length} UIDs only on B`);
  if (a.size !== expected) problems.push(`A has ${a.size} items, expected ${expected}`);
  if (b.size !== expected) problems.push(`B has ${b.size} items, expected ${expected}`);
  const check: Check = {
    countA: a.size,
    countB: b.size,
    sameUids: onlyA.length === 0 && onlyB.length === 0,
    ok: problems.length === 0,
    problems,
  };
  if (plan) {
    const kept = (e: { uid: string; marker: string }) =>
      [a, b].every((side) => side.get(e.uid)?.includes(e.marker));
    check.editsKept = { kept: plan.edits.filter(kept).length, total: plan.edits.length };
    const bothKept = plan.both.filter((uid) => plan.edits.filter((e) => e.uid === uid).every(kept));
    check.bothKept = { kept: bothKept.length, total: plan.both.length };
  }
  return check;
}

/** Total bytes of the `ext` files in a vdir. */
export async function vdirBytes(dir: string, ext: string): Promise<number> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(ext));
  const sizes = await Promise.all(names.map(async (n) => (await stat(join(dir, n))).size));
  return sizes.reduce((s, x) => s + x, 0);
}

/** Bytes of a file plus its SQLite -wal and -shm companions (missing ones count 0). */
export async function fileBytes(path: string, companions: string[] = []): Promise<number> {
  let total = 0;
  for (const p of [path, ...companions.map((c) => path + c)]) {
    total += await stat(p).then(
      (s) => s.size,
      () => 0,
    );
  }
  return total;
}

/** Bytes of everything under a directory (vdirsyncer's status dir). */
export async function dirBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  let total = 0;
  for (const e of entries) if (e.isFile()) total += (await stat(join(e.parentPath ?? e.path, e.name))).size;
  return total;
}
