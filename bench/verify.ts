import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Edit, EditPlan } from "./edit.js";
import { uidOf, unfold } from "./vcf-lines.js";

/** Checks after each sync: both sides hold the same UIDs, as many as expected. */
export interface Check {
  countA: number;
  countB: number;
  sameUids: boolean;
  ok: boolean;
  /** Edits whose marker is in the card on both sides, of all edits (scenario 3 only). */
  editsKept?: { kept: number; total: number };
  /** Contacts edited on both sides that kept both edits on both sides. */
  bothKept?: { kept: number; total: number };
  problems: string[];
}

async function cards(dir: string): Promise<Map<string, string>> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".vcf") && !n.startsWith("."));
  const out = new Map<string, string>();
  for (const name of names) {
    const text = await readFile(join(dir, name), "utf8");
    const uid = uidOf(text);
    if (uid !== undefined) out.set(uid, unfold(text).join("\n"));
  }
  return out;
}

export async function verify(dirA: string, dirB: string, expected: number, plan?: EditPlan): Promise<Check> {
  const [a, b] = await Promise.all([cards(dirA), cards(dirB)]);
  const problems: string[] = [];
  const onlyA = [...a.keys()].filter((u) => !b.has(u));
  const onlyB = [...b.keys()].filter((u) => !a.has(u));
  if (onlyA.length) problems.push(`${onlyA.length} UIDs only on A`);
  if (onlyB.length) problems.push(`${onlyB.length} UIDs only on B`);
  if (a.size !== expected) problems.push(`A has ${a.size} contacts, expected ${expected}`);
  if (b.size !== expected) problems.push(`B has ${b.size} contacts, expected ${expected}`);
  const check: Check = {
    countA: a.size,
    countB: b.size,
    sameUids: onlyA.length === 0 && onlyB.length === 0,
    ok: problems.length === 0,
    problems,
  };
  if (plan) {
    const kept = (e: Edit) => [a, b].every((side) => side.get(e.uid)?.includes(e.marker));
    check.editsKept = { kept: plan.edits.filter(kept).length, total: plan.edits.length };
    const bothKept = plan.both.filter((uid) => plan.edits.filter((e) => e.uid === uid).every(kept));
    check.bothKept = { kept: bothKept.length, total: plan.both.length };
  }
  return check;
}

/** Total bytes of the .vcf files in a vdir. */
export async function vdirBytes(dir: string): Promise<number> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".vcf"));
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
