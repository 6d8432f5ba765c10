import type { Fields } from "../core/fields.js";
import { type Conflict, type ConflictPolicy, pickWinner } from "./conflict.js";
import { actorFor, crdtMerge, type Edit } from "./crdt.js";
import { type FieldChange, type FieldPath, fieldChanges, pathName } from "./field-changes.js";
import { reviveDeletedGroups } from "./groups.js";

export interface ChangedValue {
  endpoint: string;
  fields: Fields;
  modified: number;
}

export interface RecordMergeInput {
  uid: string;
  label: string;
  /** The value all sides agreed on at the last sync; absent for a record seen for the first time. */
  base: Fields | undefined;
  /** The record's CRDT document, if one has been materialised. */
  doc: Uint8Array | undefined;
  /** Only the sides whose value differs from base. */
  changed: ChangedValue[];
  policy: ConflictPolicy;
}

export interface RecordMergeResult {
  merged: Fields;
  doc: Uint8Array | undefined;
  conflicts: Conflict[];
  /** Fields whose edits from several sides were merged as text. */
  textMerges: string[];
  /** Per endpoint, the fields it changed (ordering hints left out). */
  changedBy: Record<string, string[]>;
}

/**
 * Merges one record: a 3-way diff of each changed side against base, then either the direct
 * result (every field was changed by one side only and no document exists yet: the CRDT merge
 * would give exactly that value) or a CRDT merge in Automerge. Sides are ordered by endpoint,
 * so the result does not depend on the order they were given in.
 */
export async function mergeRecord(input: RecordMergeInput): Promise<RecordMergeResult> {
  const sorted = [...input.changed].sort((a, b) => (a.endpoint < b.endpoint ? -1 : 1));
  const revival = reviveDeletedGroups(
    input.base,
    sorted.map((c) => c.fields),
  );
  const changed = sorted.map((c, i) => ({ ...c, fields: revival.sides[i] as Fields }));
  const changes = fieldChanges(
    input.base,
    changed.map((c) => c.fields),
  );
  const conflicts: Conflict[] = revival.revived.map((r) => ({
    uid: input.uid,
    label: input.label,
    field: r.group,
    values: [
      { endpoint: changed[r.deleter]?.endpoint ?? "", value: undefined },
      { endpoint: changed[r.editor]?.endpoint ?? "", value: "(edited)" },
    ],
    winner: changed[r.editor]?.endpoint ?? "",
    reason: "edit beats delete" as const,
  }));
  const resolutions: { path: FieldPath; value: string | undefined }[] = [];
  for (const change of changes) {
    const settled = settle(change, changed, input);
    if (settled.conflict) conflicts.push(settled.conflict);
    if (change.kind === "conflict") resolutions.push({ path: change.path, value: settled.value });
  }
  const textMerges = changes.filter((c) => c.kind === "text-merge").map((c) => pathName(c.path));
  const changedBy = fieldsChangedBy(changes, changed);
  const base = input.base ?? { scalars: {}, texts: {}, sets: {} };
  // Without text to merge and without a document yet, the CRDT merge would give exactly this:
  // each field taken from the one side that changed it, or the value the policy settled.
  if (textMerges.length === 0 && !input.doc) {
    return {
      merged: applyTakes(base, changes, resolutions),
      doc: undefined,
      conflicts,
      textMerges,
      changedBy,
    };
  }
  if (changes.length === 0) return { merged: base, doc: input.doc, conflicts, textMerges, changedBy };
  const { merged, doc } = await crdtMerge({
    base,
    doc: input.doc,
    sides: changed.map((side, index) => ({ actor: actorFor(side.endpoint), edits: editsOf(index, changes) })),
    resolutions,
  });
  return { merged, doc, conflicts, textMerges, changedBy };
}

/**
 * Settles a field several sides changed: the policy picks the value of a true conflict. Both
 * conflicts and deletions overruled by an edit go to the log with every side's value, except
 * for ordering hints (sets named "@..."), which are settled silently.
 */
function settle(
  change: FieldChange,
  sides: ChangedValue[],
  input: RecordMergeInput,
): { conflict?: Conflict; value: string | undefined } {
  const sideAt = (i: number) => ({ endpoint: sides[i]?.endpoint ?? "", modified: sides[i]?.modified ?? 0 });
  const contenders = change.values.flatMap((v) => v.sides.map((i) => ({ ...sideAt(i), value: v.value })));
  const deleters = change.overruledDeletes.map((i) => ({ ...sideAt(i), value: undefined }));
  const winner =
    change.kind === "conflict"
      ? pickWinner(contenders, input.policy)
      : {
          endpoint: contenders[0]?.endpoint ?? "",
          value: contenders[0]?.value,
          reason: "edit beats delete" as const,
        };
  const logged = change.kind === "conflict" || deleters.length > 0;
  if (!logged || isHint(change)) return { value: winner.value };
  const conflict: Conflict = {
    uid: input.uid,
    label: input.label,
    field: pathName(change.path),
    values: [...contenders, ...deleters].map(({ endpoint, value }) => ({ endpoint, value })),
    winner: winner.endpoint,
    reason: deleters.length > 0 && change.kind !== "conflict" ? "edit beats delete" : winner.reason,
  };
  return { conflict, value: winner.value };
}

/** The minimal edits side `index` contributes: one per distinct value it was first to choose. */
function editsOf(index: number, changes: FieldChange[]): Edit[] {
  const edits: Edit[] = [];
  for (const change of changes) {
    for (const v of change.values) {
      if (v.sides[0] === index)
        edits.push({ path: change.path, value: v.value, asText: change.kind === "text-merge" });
    }
  }
  return edits;
}

/** Applies each change's one value, or for a conflict the value the policy settled on. */
function applyTakes(
  base: Fields,
  changes: FieldChange[],
  resolutions: { path: FieldPath; value: string | undefined }[],
): Fields {
  const out: Fields = structuredClone(base);
  const settled = new Map(resolutions.map((r) => [r.path.join("\0"), r.value]));
  for (const change of changes) {
    const key = change.path.join("\0");
    const value = settled.has(key) ? settled.get(key) : change.values[0]?.value;
    const [part] = change.path;
    if (part === "sets") {
      const [, name, key] = change.path;
      const set = out.sets[name] ?? {};
      out.sets[name] = set;
      if (value === undefined) delete set[key];
      else set[key] = value;
      if (Object.keys(set).length === 0) delete out.sets[name];
    } else if (value === undefined) delete out[part][change.path[1]];
    else out[part][change.path[1]] = value;
  }
  return out;
}

function fieldsChangedBy(changes: FieldChange[], sides: ChangedValue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const change of changes) {
    if (isHint(change)) continue;
    const indexes = [...change.values.flatMap((v) => v.sides), ...change.overruledDeletes];
    for (const i of indexes) {
      const endpoint = sides[i]?.endpoint;
      if (!endpoint) continue;
      const list = out[endpoint] ?? [];
      list.push(pathName(change.path));
      out[endpoint] = list;
    }
  }
  return out;
}

/** Sets named "@..." (also inside a field group, "G|@...") hold hints settled silently: order, stamps. */
function isHint(change: FieldChange): boolean {
  if (change.path[0] !== "sets") return false;
  const name = change.path[1];
  return name.slice(name.indexOf("|") + 1).startsWith("@");
}
