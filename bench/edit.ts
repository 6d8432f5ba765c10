import { readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Rng } from "./prng.js";
import { escapeText, toText, uidOf, unfold } from "./vcf-lines.js";

/**
 * The "1% edited on each side" change set. Every edit leaves a unique marker in the card so
 * the bench can check afterwards that it reached both sides.
 */
export type EditKind = "add-phone" | "change-email" | "edit-note";

export interface Edit {
  side: "A" | "B";
  uid: string;
  kind: EditKind;
  marker: string;
}

export interface EditPlan {
  edits: Edit[];
  /** UIDs edited on both sides, A adding a phone and B editing the note. */
  both: string[];
}

const KINDS: EditKind[] = ["add-phone", "change-email", "edit-note"];

/** Picks `perSide` contacts for each side alone plus `both` for both sides, disjoint. */
export function planEdits(uids: string[], perSide: number, both: number, seed: number): EditPlan {
  const rng = new Rng(seed);
  const chosen = rng.shuffle(uids).slice(0, 2 * perSide + both);
  const edits: Edit[] = [];
  chosen.forEach((uid, i) => {
    if (i < 2 * perSide) {
      const side = i < perSide ? "A" : "B";
      const kind = KINDS[i % KINDS.length] as EditKind;
      edits.push({ side, uid, kind, marker: marker(kind, side, i) });
    } else {
      edits.push({ side: "A", uid, kind: "add-phone", marker: marker("add-phone", "A", i) });
      edits.push({ side: "B", uid, kind: "edit-note", marker: marker("edit-note", "B", i) });
    }
  });
  return { edits, both: chosen.slice(2 * perSide) };
}

/** Unique per edit, and no marker is a prefix of another. */
function marker(kind: EditKind, side: string, i: number): string {
  const n = String(i).padStart(4, "0");
  if (kind === "add-phone") return `+99 555 ${n}`;
  if (kind === "change-email") return `bench.${side.toLowerCase()}${n}@changed.example`;
  return `bench-note-${side}-${n}`;
}

/** Map UID → file name for every `ext` file in a vdir. */
export async function uidFiles(dir: string, ext = ".vcf"): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const names = (await readdir(dir)).filter((n) => n.endsWith(ext));
  // In batches: one Promise.all over 20,000 files runs out of file descriptors (EMFILE).
  for (let i = 0; i < names.length; i += 200) {
    const batch = names.slice(i, i + 200);
    const texts = await Promise.all(batch.map((n) => readFile(join(dir, n), "utf8")));
    batch.forEach((name, j) => {
      const uid = uidOf(texts[j] ?? "");
      if (uid !== undefined) out.set(uid, name);
    });
  }
  return out;
}

function applyEdit(lines: string[], edit: Edit): string[] {
  const end = lines.findIndex((l) => l.toUpperCase() === "END:VCARD");
  if (edit.kind === "add-phone") {
    return [...lines.slice(0, end), `TEL;type=WORK;type=VOICE:${edit.marker}`, ...lines.slice(end)];
  }
  if (edit.kind === "change-email") {
    const at = lines.findIndex((l) => /^(item\d+\.)?EMAIL[;:]/i.test(l));
    if (at < 0) throw new Error(`${edit.uid} has no EMAIL`);
    const line = lines[at] as string;
    const copy = [...lines];
    copy[at] = `${line.slice(0, line.indexOf(":") + 1)}${edit.marker}`;
    return copy;
  }
  const at = lines.findIndex((l) => /^NOTE[;:]/i.test(l));
  const added = escapeText(`\nÄnderung ✓ ${edit.marker}`);
  if (at < 0)
    return [...lines.slice(0, end), `NOTE:${escapeText(`Änderung ✓ ${edit.marker}`)}`, ...lines.slice(end)];
  const copy = [...lines];
  copy[at] = `${copy[at]}${added}`;
  return copy;
}

/**
 * Applies one side's edits to a vdir in place and moves each file's mtime forward, so a sync
 * tool that trusts mtimes cannot miss the change even on a coarse-grained file system.
 */
export async function applyEdits(dir: string, side: "A" | "B", plan: EditPlan): Promise<number> {
  const files = await uidFiles(dir);
  const later = new Date(Date.now() + 2000);
  let n = 0;
  for (const edit of plan.edits.filter((e) => e.side === side)) {
    const name = files.get(edit.uid);
    if (!name) throw new Error(`${edit.uid} not found in ${dir}`);
    const path = join(dir, name);
    const lines = unfold(await readFile(path, "utf8"));
    await writeFile(path, toText(applyEdit(lines, edit)));
    await utimes(path, later, later);
    n++;
  }
  return n;
}
