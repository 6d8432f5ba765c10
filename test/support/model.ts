/**
 * A reference model of Cradle's merge semantics for property tests, written independently of the
 * engine: small contact-shaped records, user edits, and the value a sync must produce.
 */
import fc from "fast-check";
import type { Fields } from "../../src/core/fields.js";
import { same } from "./fields.js";

/** Every place a value can live in the generated records. */
export type Path =
  | { part: "scalars"; key: string }
  | { part: "texts"; key: string }
  | { part: "sets"; set: string; key: string };

export const PATHS: Path[] = [
  { part: "scalars", key: "FN" },
  { part: "scalars", key: "ORG" },
  { part: "texts", key: "NOTE" },
  { part: "sets", set: "entries", key: "TEL:1" },
  { part: "sets", set: "entries", key: "TEL:2" },
  { part: "sets", set: "entries", key: "EMAIL:1" },
];

/** Small alphabets so that equal and colliding values are common. */
const VALUES = ["a", "b", "c"];
const TEXTS = ["", "x", "xy", "yx", "hello"];

export function pathName(p: Path): string {
  return p.part === "sets" ? `${p.set}/${p.key}` : p.key;
}

export function get(f: Fields | undefined, p: Path): string | undefined {
  if (!f) return undefined;
  return p.part === "sets" ? f.sets[p.set]?.[p.key] : f[p.part][p.key];
}

export function set(f: Fields, p: Path, value: string | undefined): void {
  if (p.part === "sets") {
    const entries = f.sets[p.set] ?? {};
    if (value === undefined) delete entries[p.key];
    else entries[p.key] = value;
    if (Object.keys(entries).length > 0) f.sets[p.set] = entries;
    else delete f.sets[p.set];
  } else if (value === undefined) delete f[p.part][p.key];
  else f[p.part][p.key] = value;
}

function valuesFor(p: Path): string[] {
  return p.part === "texts" ? TEXTS : VALUES;
}

/** A record: each path absent or holding a value from its small alphabet. */
export const arbFields: fc.Arbitrary<Fields> = fc
  .tuple(...PATHS.map((p) => fc.option(fc.constantFrom(...valuesFor(p)), { nil: undefined })))
  .map((values) => {
    const f: Fields = { scalars: {}, texts: {}, sets: {} };
    for (const [i, p] of PATHS.entries()) set(f, p, values[i]);
    return f;
  });

/** Per path: leave it, remove it, or set a value. */
export type Patch = ("keep" | "remove" | string)[];

export const arbPatch: fc.Arbitrary<Patch> = fc.tuple(
  ...PATHS.map((p) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant("keep") },
      { weight: 1, arbitrary: fc.constant("remove") },
      { weight: 3, arbitrary: fc.constantFrom(...valuesFor(p)) },
    ),
  ),
);

export function applyPatch(base: Fields, patch: Patch): Fields {
  const out = structuredClone(base);
  PATHS.forEach((p, i) => {
    const op = patch[i] ?? "keep";
    if (op === "keep") return;
    set(out, p, op === "remove" ? undefined : op);
  });
  return out;
}

/** What a user does to one record on one endpoint between two syncs. */
export type UserEdit =
  | { kind: "keep" }
  | { kind: "touch" }
  | { kind: "delete" }
  | { kind: "patch"; patch: Patch; modified: number };

export const arbEdit: fc.Arbitrary<UserEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "keep" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "touch" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "delete" as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("patch" as const),
      patch: arbPatch,
      modified: fc.integer({ min: 1, max: 4 }),
    }),
  },
);

/** One side's value going into a sync. */
export interface SideValue {
  endpoint: string;
  /** undefined: the side does not hold the record (deleted it, or never had it). */
  fields: Fields | undefined;
  modified: number;
}

export interface Expected {
  /** undefined: the record is gone everywhere. */
  fields: Fields | undefined;
  /** Paths merged as text: their exact value is the CRDT's business. */
  textMerged: string[];
  /** Paths that must appear in the conflict log, with the winning endpoint when the model knows it. */
  conflicts: { field: string; winner: string | undefined }[];
}

/**
 * The spec of one record's sync: 3-way per path against `base` (undefined: first sync), a change
 * on one side propagates, identical changes are one change, an edit beats a delete (per path and
 * per record), free text changed on several sides (with a common base) merges as text, and other
 * differing changes are conflicts won by the latest `modified`, then the smallest endpoint URI.
 */
export function expectedMerge(base: Fields | undefined, sides: SideValue[]): Expected {
  const changed = sides.filter(
    (s) => s.fields !== undefined && (base === undefined || !same(s.fields, base)),
  );
  if (changed.length === 0) {
    const deleted = sides.some((s) => s.fields === undefined);
    return { fields: deleted ? undefined : base, textMerged: [], conflicts: [] };
  }
  const out = structuredClone(base ?? { scalars: {}, texts: {}, sets: {} });
  const textMerged: string[] = [];
  const conflicts: Expected["conflicts"] = [];
  for (const p of PATHS) {
    const baseValue = get(base, p);
    const movers = changed.filter((s) => get(s.fields, p) !== baseValue);
    if (movers.length === 0) continue;
    const distinct = new Set(movers.map((s) => get(s.fields, p)));
    const deleters = distinct.size > 1 ? movers.filter((s) => get(s.fields, p) === undefined) : [];
    const editors = movers.filter((s) => !deleters.includes(s));
    const values = new Set(editors.map((s) => get(s.fields, p)));
    if (values.size === 1) {
      set(out, p, get(editors[0]?.fields, p));
      if (deleters.length > 0) conflicts.push({ field: pathName(p), winner: editors[0]?.endpoint as string });
    } else if (p.part === "texts" && base !== undefined && baseValue !== undefined) {
      textMerged.push(pathName(p));
      set(out, p, undefined);
      if (deleters.length > 0) conflicts.push({ field: pathName(p), winner: undefined });
    } else {
      const winner = [...editors].sort(
        (a, b) =>
          b.modified - a.modified ||
          cmp(a.endpoint, b.endpoint) ||
          cmp(get(a.fields, p) ?? "", get(b.fields, p) ?? ""),
      )[0] as SideValue;
      set(out, p, get(winner.fields, p));
      conflicts.push({ field: pathName(p), winner: winner.endpoint });
    }
  }
  return { fields: out, textMerged, conflicts };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Fields without the given paths, to compare records whose text merges are checked separately. */
export function without(f: Fields | undefined, paths: string[]): Fields | undefined {
  if (!f) return f;
  const out = structuredClone(f);
  for (const p of PATHS) if (paths.includes(pathName(p))) set(out, p, undefined);
  return out;
}
