/**
 * A store's change token: the times of its directories (a file added, removed or renamed in
 * one changes it) and of the named files in them, hashed. Cheap next to reading every photo's
 * entry, and it changes whenever an album could have changed. A photo edited in place keeps its
 * directory's time; its new content is seen the next time the store is read for another reason.
 */
import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function changeToken(root: string, depth: number, files: string[], extra: string[] = []): string {
  const hash = createHash("sha256");
  for (const path of extra) hash.update(`${path}=${statToken(path)}\n`);
  walk(root, depth, files, hash);
  return hash.digest("hex");
}

function walk(dir: string, depth: number, files: string[], hash: ReturnType<typeof createHash>): void {
  hash.update(`${dir}=${statToken(dir)}\n`);
  for (const name of files) hash.update(`${name}=${statToken(join(dir, name))}\n`);
  if (depth === 0) return;
  let entries: string[];
  try {
    entries = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith("."))
      .map((e) => e.name)
      .sort();
  } catch {
    return;
  }
  for (const name of entries) walk(join(dir, name), depth - 1, files, hash);
}

function statToken(path: string): string {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return "-";
  }
}
