/**
 * The one module that talks to Automerge. It is loaded lazily: a sync in which no text was
 * edited on two sides of a record that has no document yet never pays for the WASM start-up.
 *
 * Document shape: { scalars: {k: ImmutableString}, texts: {k: string}, sets: {name: {k: ImmutableString}} }.
 * Scalars and set entries are ImmutableStrings (atomic last-writer-wins registers); texts are
 * collaborative strings edited with updateText, so concurrent edits merge per character.
 *
 * A record's document is created once, by a deterministic genesis change (fixed actor, time 0)
 * from the record's first synced value. Two runs that create the genesis of the same value
 * produce byte-identical changes, so the document may be materialised lazily, the first time
 * two sides edit the same text, and still be "the same document" (research §3.3: independently
 * created documents do not merge field by field; identical genesis changes do).
 */
import { createHash } from "node:crypto";
import type { Fields } from "../core/fields.js";
import type { FieldPath } from "./field-changes.js";

type AutomergeModule = typeof import("@automerge/automerge");
type Doc = {
  scalars: Record<string, unknown>;
  texts: Record<string, string>;
  sets: Record<string, Record<string, unknown>>;
};

let automerge: Promise<AutomergeModule> | undefined;
function load(): Promise<AutomergeModule> {
  automerge ??= import("@automerge/automerge");
  return automerge;
}

const GENESIS_ACTOR = "00000000000000000000000000000000";
const RESOLVER_ACTOR = "ffffffffffffffffffffffffffffffff";

/** A stable Automerge actor per endpoint, so the same endpoint always edits as the same actor. */
export function actorFor(endpoint: string): string {
  return createHash("sha256").update(endpoint).digest("hex").slice(0, 32);
}

export interface Edit {
  path: FieldPath;
  value: string | undefined;
  /** Merge as text (updateText) instead of replacing the value. */
  asText: boolean;
}

export interface CrdtMergeInput {
  base: Fields;
  doc: Uint8Array | undefined;
  /** Per side: its actor and the minimal edits it made against base. */
  sides: { actor: string; edits: Edit[] }[];
  /** Fields settled by the conflict policy after the merge. */
  resolutions: { path: FieldPath; value: string | undefined }[];
}

export async function crdtMerge(input: CrdtMergeInput): Promise<{ merged: Fields; doc: Uint8Array }> {
  const A = await load();
  let doc = input.doc ? A.load<Doc>(input.doc) : genesis(A, input.base);
  doc = ensureSets(A, doc, input.sides);
  let merged = A.clone(doc);
  for (const side of input.sides) {
    const fork = A.change(A.clone(doc, { actor: side.actor }), (d) => {
      for (const edit of side.edits) applyEdit(A, d, edit);
    });
    merged = A.merge(merged, fork);
  }
  if (input.resolutions.length > 0) {
    merged = A.change(A.clone(merged, { actor: RESOLVER_ACTOR }), (d) => {
      for (const r of input.resolutions) applyEdit(A, d, { path: r.path, value: r.value, asText: false });
    });
  }
  return { merged: readFields(merged), doc: A.save(merged) };
}

function genesis(A: AutomergeModule, base: Fields) {
  return A.change(A.init<Doc>({ actor: GENESIS_ACTOR }), { time: 0 }, (d) => {
    d.scalars = {};
    d.texts = {};
    d.sets = {};
    for (const [k, v] of Object.entries(base.scalars)) d.scalars[k] = new A.ImmutableString(v);
    for (const [k, v] of Object.entries(base.texts)) d.texts[k] = v;
    for (const [name, entries] of Object.entries(base.sets)) {
      d.sets[name] = {};
      const set = d.sets[name];
      for (const [k, v] of Object.entries(entries)) set[k] = new A.ImmutableString(v);
    }
  });
}

/** Nested maps must exist before forking, or concurrent creation would drop one side's entries. */
function ensureSets(A: AutomergeModule, doc: Doc, sides: CrdtMergeInput["sides"]): Doc {
  const missing = new Set<string>();
  for (const side of sides)
    for (const e of side.edits) if (e.path[0] === "sets" && !doc.sets[e.path[1]]) missing.add(e.path[1]);
  if (missing.size === 0) return doc;
  return A.change(A.clone(doc, { actor: GENESIS_ACTOR }), { time: 0 }, (d) => {
    for (const name of [...missing].sort()) d.sets[name] = {};
  });
}

function applyEdit(A: AutomergeModule, d: Doc, edit: Edit): void {
  const [part] = edit.path;
  if (part === "sets") {
    const set = d.sets[edit.path[1]];
    if (!set) throw new Error(`set ${edit.path[1]} missing from the document`);
    if (edit.value === undefined) delete set[edit.path[2]];
    else set[edit.path[2]] = new A.ImmutableString(edit.value);
    return;
  }
  const key = edit.path[1];
  if (edit.value === undefined) {
    delete d[part][key];
  } else if (part === "texts") {
    if (edit.asText && typeof d.texts[key] === "string") A.updateText(d, ["texts", key], edit.value);
    else d.texts[key] = edit.value;
  } else {
    d.scalars[key] = new A.ImmutableString(edit.value);
  }
}

function readFields(doc: Doc): Fields {
  const fields: Fields = { scalars: {}, texts: {}, sets: {} };
  for (const [k, v] of Object.entries(doc.scalars)) fields.scalars[k] = String(v);
  for (const [k, v] of Object.entries(doc.texts)) fields.texts[k] = String(v);
  for (const [name, entries] of Object.entries(doc.sets)) {
    const set: Record<string, string> = {};
    for (const [k, v] of Object.entries(entries)) set[k] = String(v);
    if (Object.keys(set).length > 0) fields.sets[name] = set;
  }
  return fields;
}
