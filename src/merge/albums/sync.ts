/**
 * The album sync run. Same write order as the record sync (src/merge/sync.ts):
 *   1. read every side, diff it against what it held at the last sync, merge the edits in the
 *      CRDT and plan each side's changes (no writes);
 *   2. commit the merged documents (transaction 1);
 *   3. write the sides;
 *   4. read the written sides back and commit what each now holds (transaction 2).
 * A crash between 2 and 4 leaves a side's stored view as it was before the run, so the next run
 * diffs the side against that: what was written equals the agreed state and is no edit; an
 * edit made in between is merged as usual. Nothing is merged twice.
 *
 * When no side changed since a run that left every side in sync, nothing is loaded but the
 * tree document: the check is one hash per side.
 */
import type { AlbumsEndpoint } from "../../core/albums.js";
import type { AlbumsState } from "../../state/albums-store.js";
import type { SyncState } from "../../state/store.js";
import type { Conflict } from "../conflict.js";
import { SafetyRefusal } from "../errors.js";
import type { Progress } from "../observe.js";
import { checkGuards, checkSetup, emptyReport, type SyncReport } from "../sync.js";
import { diffSide } from "./diff.js";
import { AlbumDocs, type Op, TREE } from "./docs.js";
import { isEmptyPlan, planSide, type SidePlan } from "./plan.js";
import { project } from "./project.js";
import { assignRefs, buildView, type Fingerprinter, readSide, type SideRead } from "./sides.js";
import { emptyView, hashText, type LibraryView, parseView, viewJson } from "./view.js";

export interface AlbumsSyncOptions {
  endpoints: AlbumsEndpoint[];
  state: SyncState;
  /** How an asset's fingerprint is made (src/adapters/photos/model.ts: a content hash). */
  fingerprint: Fingerprinter;
  prefer?: string;
  dryRun?: boolean;
  allowEmpty?: boolean;
  onProgress?: Progress;
}

export async function syncAlbums(options: AlbumsSyncOptions): Promise<SyncReport> {
  const { endpoints, state } = options;
  checkSetup(endpoints, options.prefer);
  await checkGuards(endpoints);
  const albums = state.albums();
  const ids = endpoints.map((e) => state.endpointId(e.uri));
  const clients = clientIds(endpoints, options.prefer);
  const report = emptyReport(
    endpoints.map((e) => e.uri),
    options.dryRun ?? false,
  );

  // Every store unchanged since a run that left all of them in sync: nothing to read.
  const tokens = await Promise.all(endpoints.map((e) => e.changeToken?.()));
  const before = ids.map((id) => albums.sideHash(id));
  if (tokens.every((t, i) => t !== undefined && before[i]?.inSync && before[i]?.token === t)) return report;

  const sides: SideRead[] = [];
  const caches = ids.map((id) => albums.assets(id));
  for (const [i, endpoint] of endpoints.entries()) {
    options.onProgress?.({ phase: "read", loaded: i, total: endpoints.length });
    sides.push(await readSide(endpoint, caches[i] as SideRead["assets"], options.fingerprint));
  }
  for (const side of sides) report.skipped.push(...side.unreadable);
  const docs = new AlbumDocs((name) => albums.doc(name));
  assignRefs(
    sides,
    ids.map((id) => albums.nodes(id)),
    () => agreedNodes(docs),
    (id) => docs.get(TREE, "kind", id) !== undefined,
  );
  const json = sides.map((side) => viewJson(buildView(side), side.endpoint.ordersNodes));
  const stored = before;
  const changed = sides.map((_, i) => stored[i]?.hash !== hashText(json[i] as string));
  if (!changed.some(Boolean) && stored.every((s) => s?.inSync)) {
    if (!options.dryRun)
      state.transaction(() => {
        saveCaches(albums, sides, ids, caches);
        sides.forEach((_, i) => {
          const token = tokens[i];
          const view = json[i] as string;
          const side = { view, hash: hashText(view), inSync: true };
          albums.saveSide(ids[i] as number, token === undefined ? side : { ...side, token });
        });
      });
    return report;
  }

  const edits = sides.map((side, i) => {
    if (!changed[i]) return { client: clients[i] as number, ops: [] as Op[] };
    const saved = albums.sideView(ids[i] as number);
    const base = saved ? parseView(saved) : emptyView();
    return { client: clients[i] as number, ops: diffSide(base, side.view, side.endpoint.ordersNodes, docs) };
  });
  const touched = docs.apply(edits);
  const { view: target, restored } = project(docs);
  describeMerge(report, edits, target, endpoints, docs, restored);

  const plans = sides.map((side) => (side.endpoint.readOnly ? undefined : planSide(target, side, sides)));
  checkSafety(plans, sides, stored, endpoints, options.allowEmpty ?? false);
  for (const [i, plan] of plans.entries()) {
    const summary = report.endpoints[i];
    if (!plan || !summary) continue;
    summary.created = plan.created;
    summary.updated = plan.updated;
    summary.deleted = plan.deleted;
  }
  if (options.dryRun) {
    report.plan = describePlans(plans, sides, target);
    return report;
  }

  const run = state.transaction(() => {
    for (const name of touched) albums.saveDoc(name, docs.encode(name));
    return state.startRun();
  });
  for (const [i, plan] of plans.entries()) {
    if (!plan || isEmptyPlan(plan)) continue;
    const side = sides[i] as SideRead;
    options.onProgress?.({ phase: "write", loaded: i, total: endpoints.length });
    try {
      const result = await side.endpoint.write(plan.write);
      for (const [ref, id] of result.created) side.refOf.set(id, ref);
      for (const f of result.failed) report.skipped.push(f);
      (report.endpoints[i] as { failed: number }).failed += result.failed.length;
      sides[i] = await reread(side, options.fingerprint, docs);
      report.skipped.push(...(sides[i] as SideRead).unreadable);
    } catch (error) {
      (report.endpoints[i] as { failed: number }).failed++;
      report.skipped.push({
        where: side.endpoint.uri,
        reason: `writing failed: ${(error as Error).message}`,
      });
      sides[i] = await reread(side, options.fingerprint, docs).catch(() => side);
    }
  }
  const written = new Set<number>();
  for (const [i, plan] of plans.entries()) if (plan && !isEmptyPlan(plan)) written.add(i);
  for (const [i, side] of sides.entries()) if (await adopt(side)) written.add(i);
  // A side Cradle wrote to gets the token of what it wrote; any other keeps the one it was read at.
  for (const i of written) tokens[i] = await endpoints[i]?.changeToken?.();
  state.transaction(() => {
    sides.forEach((side, i) => {
      const id = ids[i] as number;
      const own = viewJson(side.view, side.endpoint.ordersNodes);
      const inSync = own === viewJson(target, side.endpoint.ordersNodes);
      const token = tokens[i];
      albums.saveSide(id, {
        view: own,
        hash: hashText(own),
        inSync,
        ...(token === undefined ? {} : { token }),
      });
      albums.replaceNodes(id, side.refOf);
    });
    saveCaches(albums, sides, ids, caches);
    for (const c of report.conflicts) state.logConflict(run, c);
    state.finishRun(run, { endpoints: report.endpoints, conflicts: report.conflicts.length });
  });
  return report;
}

/** Each side's Yjs client id: its rank among the URIs sorted, the --prefer side last (it wins). */
function clientIds(endpoints: AlbumsEndpoint[], prefer: string | undefined): number[] {
  const ranked = endpoints
    .map((e) => e.uri)
    .sort((a, b) => (a === prefer ? 1 : b === prefer ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return endpoints.map((e) => ranked.indexOf(e.uri) + 1);
}

function* agreedNodes(
  docs: AlbumDocs,
): Iterable<[string, { kind: string; parent: string | null; title: string }]> {
  for (const [ref, kind] of docs.entries(TREE, "kind"))
    if (docs.get(TREE, "alive", ref))
      yield [
        ref,
        { kind, parent: docs.get(TREE, "parent", ref) || null, title: docs.get(TREE, "title", ref) ?? "" },
      ];
}

/** What a side holds after a write, its fingerprints taken from the first read where files did not change. */
async function reread(side: SideRead, fingerprint: Fingerprinter, docs: AlbumDocs): Promise<SideRead> {
  const again = await readSide(side.endpoint, side.assets, fingerprint);
  assignRefs(
    [again],
    [side.refOf],
    () => agreedNodes(docs),
    (x) => docs.get(TREE, "kind", x) !== undefined,
  );
  buildView(again);
  return again;
}

/** Tells a store that keeps the sync's ids which ref each of its nodes is; true if it had to. */
async function adopt(side: SideRead): Promise<boolean> {
  if (!side.endpoint.adopt || side.endpoint.readOnly) return false;
  const pending = new Map([...side.refOf].filter(([id, ref]) => id !== ref).map(([id, ref]) => [ref, id]));
  if (pending.size === 0) return false;
  await side.endpoint.adopt(pending);
  for (const [ref, id] of pending) {
    side.refOf.delete(id);
    side.refOf.set(ref, ref);
  }
  return true;
}

/** Each side's fingerprint cache, as it was read (and reread after a write); `stored` is what the state held. */
function saveCaches(
  albums: AlbumsState,
  sides: SideRead[],
  ids: number[],
  stored: SideRead["assets"][],
): void {
  sides.forEach((side, i) => {
    albums.updateAssets(ids[i] as number, side.assets, stored[i] as SideRead["assets"]);
  });
}

/** Registers two sides set differently are conflicts; a delete met by an edit is a restore. */
function describeMerge(
  report: SyncReport,
  edits: { client: number; ops: Op[] }[],
  target: LibraryView,
  endpoints: AlbumsEndpoint[],
  docs: AlbumDocs,
  restored: string[],
): void {
  const writes = new Map<string, { side: number; op: Op }[]>();
  const fieldsByRef = new Map<string, Map<number, Set<string>>>();
  edits.forEach(({ ops }, side) => {
    for (const op of ops) {
      const id = `${op.doc}\u0000${op.map}\u0000${op.key}`;
      writes.set(id, [...(writes.get(id) ?? []), { side, op }]);
      const ref = op.doc === TREE ? op.key : op.doc.slice("album:".length);
      const bySide = fieldsByRef.get(ref) ?? new Map<number, Set<string>>();
      bySide.set(side, (bySide.get(side) ?? new Set()).add(op.doc === TREE ? op.map : "members"));
      fieldsByRef.set(ref, bySide);
    }
  });
  const label = (ref: string) => target.nodes.get(ref)?.title ?? docs.get(TREE, "title", ref) ?? ref;
  for (const list of writes.values()) {
    if (list.length < 2) continue;
    const { op } = list[0] as { op: Op };
    const values = new Set(list.map((w) => w.op.value));
    if (values.size < 2 || op.doc !== TREE) continue;
    const ref = op.key;
    if (op.map === "alive") {
      for (const w of list)
        if (w.op.value === undefined && target.nodes.has(ref))
          report.resurrected.push({ uid: ref, label: label(ref), endpoint: endpoints[w.side]?.uri ?? "" });
      continue;
    }
    if (op.map === "pos" || op.map === "kind") continue;
    const final = docs.get(TREE, op.map, ref);
    const winner = list.filter((w) => w.op.value === final).at(-1);
    const conflict: Conflict = {
      uid: ref,
      label: label(ref),
      field: op.map,
      values: list.map((w) => ({ endpoint: endpoints[w.side]?.uri ?? "", value: w.op.value })),
      winner: winner ? (endpoints[winner.side]?.uri ?? "") : "",
      reason: "endpoint order",
    };
    report.conflicts.push(conflict);
  }
  for (const ref of restored)
    report.resurrected.push({ uid: ref, label: label(ref), endpoint: "(a side that deleted it)" });
  for (const [ref, bySide] of fieldsByRef) {
    if (bySide.size < 2 || !target.nodes.has(ref)) continue;
    const fields: Record<string, string[]> = {};
    for (const [side, names] of bySide)
      fields[endpoints[side]?.uri ?? ""] = [...names].filter((n) => n !== "alive");
    report.merges.push({ uid: ref, label: label(ref), endpoints: Object.keys(fields), fields });
  }
}

/** No side may be emptied, or lose more than half of its folders and albums, without --allow-empty. */
function checkSafety(
  plans: (SidePlan | undefined)[],
  sides: SideRead[],
  stored: ({ hash: string } | undefined)[],
  endpoints: AlbumsEndpoint[],
  allow: boolean,
): void {
  if (allow) return;
  const nothing = hashText(viewJson(emptyView(), true));
  plans.forEach((plan, i) => {
    const held = sides[i]?.view.nodes.size ?? 0;
    const before = stored[i];
    if (!plan || before === undefined) return;
    const emptied = held === 0 && before.hash !== nothing;
    if (emptied || (held > 0 && plan.deleted * 2 > held)) {
      const uri = endpoints[i]?.uri ?? "";
      const what = emptied
        ? "has no albums left"
        : `would lose ${plan.deleted} of its ${held} albums and folders`;
      throw new SafetyRefusal(
        `Refused: ${uri} ${what}. If that is what you want, run the sync again with --allow-empty.`,
        { endpoint: uri, deleted: plan.deleted, held },
      );
    }
  });
}

function describePlans(plans: (SidePlan | undefined)[], sides: SideRead[], target: LibraryView): string[] {
  const lines: string[] = [];
  plans.forEach((plan, i) => {
    if (!plan) return;
    const uri = sides[i]?.endpoint.uri ?? "";
    for (const node of plan.write.put)
      lines.push(
        `${node.id === undefined ? "create" : "update"} ${node.kind} "${node.title}" on ${uri} (${node.members.length} members)`,
      );
    for (const id of plan.write.delete) {
      const ref = sides[i]?.refOf.get(id);
      const title = ref === undefined ? id : (sides[i]?.view.nodes.get(ref)?.title ?? id);
      lines.push(`delete "${title}" on ${uri}`);
    }
    for (const parent of plan.write.order.keys())
      lines.push(
        `reorder the contents of ${parent === "" ? "the top level" : `"${target.nodes.get(parent)?.title}"`} on ${uri}`,
      );
  });
  return lines;
}
