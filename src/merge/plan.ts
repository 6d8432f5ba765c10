import { randomUUID } from "node:crypto";
import type { StoredRecord, SyncState } from "../state/store.js";
import type { Conflict, ConflictPolicy } from "./conflict.js";
import type { Identity } from "./identify.js";
import { mergeRecord } from "./merge-record.js";
import {
  holdsValue,
  type NewItem,
  type Observation,
  type ObservedItem,
  type SideView,
  viewOf,
} from "./observe.js";
import { rebase } from "./rebase.js";
import { RecordValue } from "./record-value.js";

/** One write the run will make. */
export type Action =
  | { kind: "create"; side: number; value: RecordValue }
  | { kind: "update"; side: number; nativeId: string; value: RecordValue }
  | { kind: "delete"; side: number; nativeId: string };

/** What the run decided for one record: its new agreed value (or its deletion) and the writes. */
export interface RecordPlan {
  /** undefined for a record seen for the first time; its id is assigned at commit. */
  recordId: number | undefined;
  uid: string;
  label: string;
  /** The new agreed value, or "delete" when the record is going away everywhere. */
  target: { value: RecordValue; doc: Uint8Array | undefined } | "delete";
  matchKeys: string[] | undefined;
  /** What each side holds now that the state should remember before any write. */
  seen: { side: number; nativeId: string; token: string; hash: string }[];
  /** Sides whose content is unchanged but whose token moved: only the token is remembered anew. */
  retokened: { side: number; nativeId: string; token: string }[];
  /** Sides whose old placement is obsolete (their item is gone). */
  forget: { side: number; nativeId: string }[];
  actions: Action[];
  conflicts: Conflict[];
  textMerges: string[];
  /** Sides on which a deleted record comes back because another side edited it. */
  resurrected: number[];
  /** When two or more sides changed the record differently: the fields each endpoint changed. */
  mergedFrom: Record<string, string[]>;
  /** True when the state changes but no side needs a write (only tokens moved). */
  changesState: boolean;
}

export interface PlanContext {
  state: SyncState;
  writable: boolean[];
  endpointUris: string[];
  policy: ConflictPolicy;
  /** The state holds every record in agreement on every side (the group is marked quiet). */
  settled: boolean;
}

interface Side {
  side: number;
  view: SideView | { kind: "new"; item: NewItem };
}

/** Plans every record that needs attention; records in sync everywhere cost nothing here. */
export async function planRecords(
  observation: Observation,
  identity: Identity,
  ctx: PlanContext,
  blocked: (record: number, side: number, view: SideView) => void,
): Promise<RecordPlan[]> {
  // Records an item changed, moved or left on some side (every view the observation made), and
  // those a side holds out of date or that are being deleted; an unchanged record costs nothing.
  const attention = new Set<number>([...identity.matched.keys(), ...observation.views.keys()]);
  const ids = ctx.endpointUris.map((_, side) => sideId(ctx, side));
  if (!ctx.settled) {
    for (const record of ctx.state.recordsOutOfSync(ids)) attention.add(record);
    ctx.writable.forEach((writable, side) => {
      if (!writable) return;
      for (const record of ctx.state.recordsMissingFrom(ids[side] as number)) attention.add(record);
    });
  }

  const plans: RecordPlan[] = [];
  for (const recordId of [...attention].sort((a, b) => a - b)) {
    const stored = ctx.state.record(recordId);
    if (!stored) continue;
    const sides: Side[] = [];
    ctx.endpointUris.forEach((_, side) => {
      const view = viewOf(observation, recordId, side);
      if (view) sides.push({ side, view });
    });
    for (const item of identity.matched.get(recordId) ?? [])
      sides.push({ side: item.side, view: { kind: "new", item } });
    const stuck = sides.find((s) => s.view.kind === "blocked");
    if (stuck && stuck.view.kind === "blocked") {
      blocked(recordId, stuck.side, stuck.view);
      continue;
    }
    plans.push(await planKnown(stored, sides, ctx));
  }
  for (const group of identity.groups) plans.push(await planNew(group.items, ctx));
  return plans;
}

function sideId(ctx: PlanContext, side: number): number {
  return ctx.state.endpointId(ctx.endpointUris[side] as string);
}

async function planKnown(stored: StoredRecord, sides: Side[], ctx: PlanContext): Promise<RecordPlan> {
  const plan = emptyPlan(stored.id, stored.uid, stored.uid);
  const changed: { side: number; item: ObservedItem; hash: string; sideBase?: string }[] = [];
  const gone: number[] = [];
  const holding = new Map<number, { nativeId: string; hash: string; reflects?: string }>();
  for (const { side, view } of sides) {
    if (view.kind === "gone") {
      gone.push(side);
      plan.forget.push({ side, nativeId: view.nativeId });
      continue;
    }
    if (view.kind === "blocked") continue;
    const nativeId = view.kind === "new" ? view.item.nativeId : view.nativeId;
    const hash = view.kind === "new" ? view.item.hash : view.hash;
    holding.set(side, { nativeId, hash, reflects: view.kind === "held" ? view.reflects : undefined });
    if (view.kind === "changed" || view.kind === "new") {
      const token = view.kind === "new" ? view.item.token : view.token;
      const item = view.kind === "new" ? view.item.item : view.item;
      plan.seen.push({ side, nativeId, token, hash });
      plan.label = item.label || plan.label;
      // An item appearing where a deleted record had none is a re-creation, even with the old content.
      // A lossy side's edit is diffed against what it held, not against the full agreed value.
      const sideBase =
        view.kind === "changed" && view.reflects !== undefined
          ? ctx.state.placementContent(sideId(ctx, side), nativeId)
          : undefined;
      if (hash !== stored.hash || (stored.deleted && view.kind === "new"))
        changed.push({ side, item, hash, sideBase });
    } else if (view.token) plan.retokened.push({ side, nativeId, token: view.token });
  }

  // A side that lists the record under a new id (a renamed file, a moved item) did not delete it.
  const lost = gone.filter((side) => !holding.has(side));
  const deleting = changed.length === 0 && (stored.deleted || lost.length > 0);
  if (deleting) {
    plan.target = "delete";
    for (const [side, held] of holding) {
      if (ctx.writable[side]) plan.actions.push({ kind: "delete", side, nativeId: held.nativeId });
    }
    plan.changesState = true;
    return plan;
  }

  const merge = await mergeRecord({
    uid: stored.uid,
    label: plan.label,
    base: stored.base,
    doc: stored.doc,
    changed: changed.map((c) => ({
      endpoint: ctx.endpointUris[c.side] as string,
      fields: c.sideBase
        ? rebase(stored.base, JSON.parse(c.sideBase), c.item.value.fields())
        : c.item.value.fields(),
      modified: c.item.modified,
    })),
    policy: ctx.policy,
  });
  const value = changed.length === 0 ? RecordValue.fromJson(stored.baseJson) : RecordValue.of(merge.merged);
  const hash = value.hash;
  plan.target = { value, doc: merge.doc };
  plan.conflicts = merge.conflicts;
  plan.textMerges = merge.textMerges;
  if (new Set(changed.map((c) => c.hash)).size > 1) plan.mergedFrom = merge.changedBy;
  plan.matchKeys = changed.length > 0 ? unionKeys(changed.map((c) => c.item)) : undefined;
  plan.changesState =
    hash !== stored.hash ||
    stored.deleted ||
    plan.seen.length > 0 ||
    plan.retokened.length > 0 ||
    gone.length > 0;
  // Writable sides that get the record back: those that deleted it, or all without it after a tombstone.
  if (stored.deleted || lost.length > 0)
    plan.resurrected = ctx.writable.flatMap((w, s) =>
      w && !holding.has(s) && (stored.deleted || lost.includes(s)) ? [s] : [],
    );
  ctx.writable.forEach((writable, side) => {
    if (!writable) return;
    const held = holding.get(side);
    if (!held) plan.actions.push({ kind: "create", side, value });
    else if (!holdsValue(held, hash))
      plan.actions.push({ kind: "update", side, nativeId: held.nativeId, value });
  });
  return plan;
}

async function planNew(items: NewItem[], ctx: PlanContext): Promise<RecordPlan> {
  const first = items[0];
  if (!first) throw new Error("a new group has at least one item");
  const uid = items.find((i) => i.item.uid)?.item.uid || randomUUID().toUpperCase();
  const plan = emptyPlan(undefined, uid, first.item.label);
  // Every side holds the same content (the common first sync into an empty side): nothing to merge.
  const identical = items.every((i) => i.hash === first.hash);
  const merge = identical
    ? { merged: undefined, doc: undefined, conflicts: [], textMerges: [], changedBy: {} }
    : await mergeRecord({
        uid,
        label: first.item.label,
        base: undefined,
        doc: undefined,
        changed: items.map((i) => ({
          endpoint: ctx.endpointUris[i.side] as string,
          fields: i.item.value.fields(),
          modified: i.item.modified,
        })),
        policy: ctx.policy,
      });
  const value = merge.merged ? RecordValue.of(merge.merged) : first.item.value;
  const hash = value.hash;
  plan.target = { value, doc: merge.doc };
  plan.conflicts = merge.conflicts;
  plan.textMerges = merge.textMerges;
  plan.matchKeys = unionKeys(items.map((i) => i.item));
  plan.changesState = true;
  for (const i of items) plan.seen.push({ side: i.side, nativeId: i.nativeId, token: i.token, hash: i.hash });
  ctx.writable.forEach((writable, side) => {
    if (!writable) return;
    const held = items.find((i) => i.side === side);
    if (!held) plan.actions.push({ kind: "create", side, value });
    else if (held.hash !== hash) plan.actions.push({ kind: "update", side, nativeId: held.nativeId, value });
  });
  return plan;
}

function emptyPlan(recordId: number | undefined, uid: string, label: string): RecordPlan {
  return {
    recordId,
    uid,
    label,
    target: "delete",
    matchKeys: undefined,
    seen: [],
    retokened: [],
    forget: [],
    actions: [],
    conflicts: [],
    textMerges: [],
    resurrected: [],
    mergedFrom: {},
    changesState: false,
  };
}

function unionKeys(items: ObservedItem[]): string[] {
  return [...new Set(items.flatMap((i) => i.matchKeys))].sort();
}
