import type { Fields } from "../core/fields.js";

/** Where a value lives inside Fields. */
export type FieldPath = ["scalars", string] | ["texts", string] | ["sets", string, string];

/** What the sides did to one field, relative to the last synced value. */
export interface FieldChange {
  path: FieldPath;
  base: string | undefined;
  /** Distinct new values, each with the indexes of the sides that chose it (deletion = undefined). */
  values: { value: string | undefined; sides: number[] }[];
  /** Deletions that lost to a concurrent edit, kept for the log. */
  overruledDeletes: number[];
  kind: "take" | "text-merge" | "conflict";
}

export function pathName(path: FieldPath): string {
  return path[0] === "sets" ? `${path[1]}/${path[2]}` : path[1];
}

export function readPath(fields: Fields, path: FieldPath): string | undefined {
  if (path[0] === "sets") return fields.sets[path[1]]?.[path[2]];
  return fields[path[0]][path[1]];
}

/**
 * The 3-way diff: every field that some side changed against `base`, grouped by distinct value.
 * Identical changes on several sides count once (after a crash, the same edit sits on two sides;
 * that is no conflict). An edit beats a concurrent delete. Free text changed on several sides
 * merges character by character, but only when there is a common base: two independently typed
 * notes are a conflict, not something to interleave.
 */
export function fieldChanges(base: Fields | undefined, sides: Fields[]): FieldChange[] {
  const from = base ?? { scalars: {}, texts: {}, sets: {} };
  const changes: FieldChange[] = [];
  for (const path of allPaths([from, ...sides])) {
    const baseValue = readPath(from, path);
    const byValue = new Map<string | undefined, number[]>();
    sides.forEach((side, index) => {
      const value = readPath(side, path);
      if (value === baseValue) return;
      const list = byValue.get(value) ?? [];
      list.push(index);
      byValue.set(value, list);
    });
    if (byValue.size === 0) continue;
    const deletes = byValue.size > 1 ? (byValue.get(undefined) ?? []) : [];
    if (deletes.length > 0) byValue.delete(undefined);
    const values = [...byValue].map(([value, sideIndexes]) => ({ value, sides: sideIndexes }));
    const isText = path[0] === "texts" && base !== undefined && baseValue !== undefined;
    const kind = values.length === 1 ? "take" : isText ? "text-merge" : "conflict";
    changes.push({ path, base: baseValue, values, overruledDeletes: deletes, kind });
  }
  return changes;
}

function allPaths(all: Fields[]): FieldPath[] {
  const scalars = new Set<string>();
  const texts = new Set<string>();
  const sets = new Map<string, Set<string>>();
  for (const f of all) {
    for (const k of Object.keys(f.scalars)) scalars.add(k);
    for (const k of Object.keys(f.texts)) texts.add(k);
    for (const [name, entries] of Object.entries(f.sets)) {
      const keys = sets.get(name) ?? new Set<string>();
      for (const k of Object.keys(entries)) keys.add(k);
      sets.set(name, keys);
    }
  }
  const paths: FieldPath[] = [];
  for (const k of [...scalars].sort()) paths.push(["scalars", k]);
  for (const k of [...texts].sort()) paths.push(["texts", k]);
  for (const name of [...sets.keys()].sort()) {
    for (const k of [...(sets.get(name) ?? [])].sort()) paths.push(["sets", name, k]);
  }
  return paths;
}
