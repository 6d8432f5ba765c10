/**
 * The sync run. Inspired by vdirsyncer's algorithm (observe both sides, build every action
 * before writing anything), extended with a 3-way, field-level CRDT merge and N endpoints.
 *
 * Write order, for crash safety:
 *   1. observe and plan (no writes);
 *   2. commit the new agreed values and what was read from each side (transaction 1);
 *   3. write to the endpoints;
 *   4. commit what each side now holds (transaction 2).
 * A crash before 2 leaves everything as it was. A crash between 2 and 4 leaves sides either as
 * they were (their placement says they hold what was read, so they are rewritten next run) or
 * holding the merged value (equal to the agreed value: in sync). Nothing is merged twice.
 */
import type { Endpoint, WriteBatch, WriteOutcome } from "../core/endpoint.js";
import type { SyncState } from "../state/store.js";
import type { Conflict, ConflictPolicy } from "./conflict.js";
import { GuardedError, SafetyRefusal, SyncSetupError } from "./errors.js";
import { identify } from "./identify.js";
import { Listing } from "./listing.js";
import { observe, type Progress, viewOf } from "./observe.js";
import { type Action, planRecords, type RecordPlan } from "./plan.js";
import { RecordValue } from "./record-value.js";

export interface SyncOptions {
  endpoints: Endpoint[];
  state: SyncState;
  /** Endpoint URI whose value wins every conflict it takes part in. */
  prefer?: string;
  /** Plan only: read everything, write nothing, not even the state. */
  dryRun?: boolean;
  /** Allow a side to become empty or lose more than half of its records. */
  allowEmpty?: boolean;
  onProgress?: Progress;
}

export interface EndpointSummary {
  uri: string;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
}

export interface SkippedItem {
  where: string;
  reason: string;
}

export interface SyncReport {
  dryRun: boolean;
  endpoints: EndpointSummary[];
  conflicts: Conflict[];
  textMerges: { uid: string; label: string; field: string }[];
  resurrected: { uid: string; label: string; endpoint: string }[];
  /** Records edited differently on two or more sides and merged field by field: who changed what. */
  merges: { uid: string; label: string; endpoints: string[]; fields: Record<string, string[]> }[];
  skipped: SkippedItem[];
  /** In a dry run: every planned write, in words. */
  plan: string[];
}

export async function sync(options: SyncOptions): Promise<SyncReport> {
  const { endpoints, state } = options;
  checkSetup(endpoints, options.prefer);
  await checkGuards(endpoints);
  const uris = endpoints.map((e) => e.uri);
  const ids = uris.map((uri) => state.endpointId(uri));
  const report = emptyReport(uris, options.dryRun ?? false);

  const listings = (await Promise.all(endpoints.map((e) => e.list()))).map((items) => new Listing(items));
  const digests = listings.map((listing) => listing.digest());
  const quiet = state.quietDigests(ids);
  if (quiet && digests.every((digest, side) => digest === quiet[side])) return report;

  const observation = await observe(
    endpoints,
    ids,
    listings.map((l) => l.items),
    state,
    options.onProgress,
  );
  for (const error of observation.unreadable)
    report.skipped.push({ where: error.where, reason: error.message });
  const identity = identify(observation.newItems, (record, side) => viewOf(observation, record, side), state);
  for (const d of identity.duplicates) {
    report.skipped.push({
      where: `${uris[d.side]} ${d.nativeId}`,
      reason: `UID ${d.uid} is also used by ${d.nativeId === d.other ? "itself" : d.other} on the same side; fix one of them (give it a new UID) and sync again`,
    });
  }
  const plans = await planRecords(
    observation,
    identity,
    {
      state,
      writable: endpoints.map((e) => !e.readOnly),
      endpointUris: uris,
      settled: quiet !== undefined,
      policy: { prefer: options.prefer } satisfies ConflictPolicy,
    },
    (_record, side, view) => {
      if (view.kind === "blocked")
        report.skipped.push({
          where: view.error.where,
          reason: `${view.error.message} (left untouched on ${uris[side]})`,
        });
    },
  );
  options.onProgress?.({ phase: "merge", loaded: plans.length, total: plans.length });
  checkSafety(plans, observation.counts, uris, options.allowEmpty ?? false);
  collect(plans, report, uris);

  if (options.dryRun) {
    report.plan = describePlan(plans, uris);
    for (const plan of plans) for (const action of plan.actions) count(report, action);
    return report;
  }
  if (!plans.some((p) => p.changesState || p.actions.length > 0)) {
    if (report.skipped.length === 0) state.markQuiet(ids, digests);
    return report;
  }

  const run = state.transaction(() => commitIntent(state, ids, plans));
  const outcomes = await writeAll(endpoints, plans, options.onProgress);
  const projections = await readBack(endpoints, outcomes);
  state.transaction(() => {
    commitOutcome(state, ids, plans, outcomes, projections, run, report);
    markQuietIfSettled(state, ids, endpoints, plans, outcomes, listings, report);
  });
  return report;
}

/**
 * After a run that wrote: when nothing was skipped or failed and every record the run touched is
 * held in agreement (the others were already, or the run would have touched them), the group is
 * in sync, and its listings are the ones read at the start with this run's writes applied.
 */
function markQuietIfSettled(
  state: SyncState,
  ids: number[],
  endpoints: Endpoint[],
  plans: RecordPlan[],
  outcomes: Outcomes,
  listings: Listing[],
  report: SyncReport,
): void {
  if (report.skipped.length > 0) return;
  const touched = plans.flatMap((plan) => (plan.recordId === undefined ? [] : [plan.recordId]));
  const writable = ids.filter((_, side) => !endpoints[side]?.readOnly);
  if (state.recordsOutOfSync(ids, touched).length > 0) return;
  if (writable.some((id) => state.recordsMissingFrom(id, touched).length > 0)) return;
  for (const [action, outcome] of outcomes) {
    const listing = listings[action.side] as Listing;
    if (!outcome.ok) return; // reported in skipped already; kept so a type narrows
    if (outcome.kind === "delete") listing.removed(outcome.id);
    else listing.wrote(outcome.id, outcome.token, action.kind === "update" ? action.nativeId : undefined);
  }
  state.markQuiet(
    ids,
    listings.map((listing) => listing.digest()),
  );
}

/** A report with nothing done yet, one summary per endpoint. */
export function emptyReport(uris: string[], dryRun: boolean): SyncReport {
  return {
    dryRun,
    endpoints: uris.map((uri) => ({ uri, created: 0, updated: 0, deleted: 0, failed: 0 })),
    conflicts: [],
    textMerges: [],
    resurrected: [],
    merges: [],
    skipped: [],
    plan: [],
  };
}

export function checkSetup(
  endpoints: Pick<Endpoint, "uri" | "domain" | "readOnly">[],
  prefer: string | undefined,
): void {
  if (endpoints.length < 2) throw new SyncSetupError("A sync needs at least two endpoints.");
  const uris = new Set(endpoints.map((e) => e.uri));
  if (uris.size !== endpoints.length) throw new SyncSetupError("The same endpoint is named twice.");
  const domains = new Set(endpoints.map((e) => e.domain));
  if (domains.size > 1)
    throw new SyncSetupError(`Endpoints of different domains (${[...domains].join(", ")}) cannot sync.`);
  if (endpoints.every((e) => e.readOnly))
    throw new SyncSetupError("Every endpoint is read-only: nothing could be written.");
  if (prefer !== undefined && !uris.has(prefer))
    throw new SyncSetupError(`--prefer ${prefer} is not one of the endpoints (${[...uris].join(", ")}).`, {
      prefer,
    });
}

export async function checkGuards(endpoints: Pick<Endpoint, "uri" | "domain" | "guard">[]): Promise<void> {
  for (const endpoint of endpoints) {
    const verdict = await endpoint.guard();
    if (!verdict.enabled)
      throw new GuardedError(
        `Cable sync of ${endpoint.domain} is off for ${endpoint.uri}: ${verdict.reason ?? "another account syncs it"}. Nothing was written.`,
        {
          endpoint: endpoint.uri,
          domain: endpoint.domain,
          status: "disabled",
          reason: verdict.cause ?? "guard",
        },
      );
  }
}

/** vdirsyncer's StorageEmpty, widened: no side may silently lose more than half of its records. */
function checkSafety(
  plans: RecordPlan[],
  counts: { placed: number; listed: number }[],
  uris: string[],
  allow: boolean,
) {
  if (allow) return;
  counts.forEach(({ placed, listed }, side) => {
    if (placed === 0) return;
    const deletes = plans.reduce(
      (n, p) => n + p.actions.filter((a) => a.kind === "delete" && a.side === side).length,
      0,
    );
    const lost =
      deletes +
      plans.reduce(
        (n, p) => n + (p.target === "delete" ? p.forget.filter((f) => f.side === side).length : 0),
        0,
      );
    if (listed === 0 || lost * 2 > placed) {
      const what = listed === 0 ? "is now empty" : `would lose ${lost} of its ${placed} records`;
      throw new SafetyRefusal(
        `Refusing to sync: ${uris[side]} ${what}. If that is really what you want, run again with --allow-empty.`,
        { endpoint: uris[side], placed, listed, lost },
      );
    }
  });
}

function collect(plans: RecordPlan[], report: SyncReport, uris: string[]): void {
  for (const plan of plans) {
    report.conflicts.push(...plan.conflicts);
    for (const field of plan.textMerges) report.textMerges.push({ uid: plan.uid, label: plan.label, field });
    const endpoints = Object.keys(plan.mergedFrom);
    if (endpoints.length > 0)
      report.merges.push({ uid: plan.uid, label: plan.label, endpoints, fields: plan.mergedFrom });
    for (const side of plan.resurrected)
      report.resurrected.push({ uid: plan.uid, label: plan.label, endpoint: uris[side] as string });
  }
}

function count(report: SyncReport, action: Action, ok = true): void {
  const summary = report.endpoints[action.side];
  if (!summary) return;
  if (!ok) summary.failed++;
  else if (action.kind === "create") summary.created++;
  else if (action.kind === "update") summary.updated++;
  else summary.deleted++;
}

function describePlan(plans: RecordPlan[], uris: string[]): string[] {
  return plans.flatMap((plan) =>
    plan.actions.map((a) => `${a.kind} "${plan.label}" (${plan.uid}) on ${uris[a.side]}`),
  );
}

/** Transaction 1: the agreed values and what each side showed, before any write. */
function commitIntent(state: SyncState, ids: number[], plans: RecordPlan[]): number {
  const run = state.startRun();
  for (const plan of plans) {
    if (!plan.changesState && plan.actions.length === 0) continue;
    const target = plan.target;
    if (target === "delete") {
      if (plan.recordId === undefined) throw new Error("a deletion is always of a known record");
      state.markDeleted(plan.recordId);
    } else {
      plan.recordId = state.saveRecord({
        id: plan.recordId,
        uid: plan.uid,
        hash: target.value.hash,
        deflatedBase: target.value.deflated,
        doc: target.doc,
        deleted: false,
        keys: plan.matchKeys,
      });
    }
    const record = plan.recordId;
    for (const f of plan.forget) state.removePlacement(ids[f.side] as number, f.nativeId);
    for (const s of plan.seen)
      state.savePlacement(ids[s.side] as number, {
        nativeId: s.nativeId,
        record,
        token: s.token,
        hash: s.hash,
      });
    for (const t of plan.retokened) state.updateToken(ids[t.side] as number, t.nativeId, t.token);
    for (const c of plan.conflicts) state.logConflict(run, c);
  }
  return run;
}

type Outcomes = Map<Action, WriteOutcome>;
type Projections = Map<Action, RecordValue>;

/** Records per write() call: one chunk's records are parsed back into objects at a time. */
const WRITE_CHUNK = 200;

/** Writes each endpoint's batch. A failed write is reported and retried by the next run. */
async function writeAll(
  endpoints: Endpoint[],
  plans: RecordPlan[],
  onProgress?: Progress,
): Promise<Outcomes> {
  const outcomes: Outcomes = new Map();
  for (const [side, endpoint] of endpoints.entries()) {
    const mine = plans.flatMap((p) =>
      p.actions.filter((a) => a.side === side).map((a) => ({ plan: p, action: a })),
    );
    if (mine.length === 0) continue;
    const ordered = [
      ...mine.filter((m) => m.action.kind === "delete"),
      ...mine.filter((m) => m.action.kind === "update"),
      ...mine.filter((m) => m.action.kind === "create"),
    ];
    for (let start = 0; start < ordered.length; start += WRITE_CHUNK) {
      const chunk = ordered.slice(start, start + WRITE_CHUNK);
      const batch: WriteBatch = { create: [], update: [], delete: [] };
      for (const { plan, action } of chunk) {
        if (action.kind === "delete") batch.delete.push(action.nativeId);
        else if (action.kind === "update")
          batch.update.push({ id: action.nativeId, uid: plan.uid, fields: action.value.fields() });
        else batch.create.push({ uid: plan.uid, fields: action.value.fields() });
      }
      const results = await endpoint.write(batch);
      chunk.forEach(({ action }, i) => {
        const result = results[i];
        if (result) outcomes.set(action, result);
      });
      onProgress?.({ phase: `write ${endpoint.uri}`, loaded: start + chunk.length, total: ordered.length });
    }
  }
  return outcomes;
}

/** What lossy endpoints actually kept of each record written to them. */
async function readBack(endpoints: Endpoint[], outcomes: Outcomes): Promise<Projections> {
  const projections: Projections = new Map();
  for (const [side, endpoint] of endpoints.entries()) {
    if (!endpoint.lossy) continue;
    const written = [...outcomes].filter(
      ([action, o]) => action.side === side && o.ok && o.kind !== "delete",
    );
    const ids = written.flatMap(([, o]) => (o.ok && o.kind !== "delete" ? [o.id] : []));
    if (ids.length === 0) continue;
    const results = await endpoint.read(ids);
    for (const [action, outcome] of written) {
      const result = outcome.ok && outcome.kind !== "delete" ? results.get(outcome.id) : undefined;
      if (result?.ok) projections.set(action, RecordValue.of(result.item.fields));
    }
  }
  return projections;
}

/** Transaction 2: what each side holds after the writes that succeeded. */
function commitOutcome(
  state: SyncState,
  ids: number[],
  plans: RecordPlan[],
  outcomes: Outcomes,
  projections: Projections,
  run: number,
  report: SyncReport,
): void {
  for (const plan of plans) {
    const record = plan.recordId;
    if (record === undefined) continue;
    for (const action of plan.actions) {
      const outcome = outcomes.get(action);
      const endpointId = ids[action.side] as number;
      if (!outcome?.ok) {
        count(report, action, false);
        report.skipped.push({
          where: `${report.endpoints[action.side]?.uri} "${plan.label}"`,
          reason: `${action.kind} failed: ${outcome && !outcome.ok ? outcome.error : "no result"}; the next sync retries it`,
        });
        continue;
      }
      count(report, action);
      if (outcome.kind === "delete") state.removePlacement(endpointId, outcome.id);
      else if (action.kind !== "delete") {
        const kept = projections.get(action);
        const partial = kept !== undefined && kept.hash !== action.value.hash;
        state.savePlacement(endpointId, {
          nativeId: outcome.id,
          record,
          token: outcome.token,
          hash: partial ? kept.hash : action.value.hash,
          ...(partial ? { reflects: action.value.hash, content: kept.deflated } : {}),
        });
      }
    }
    if (plan.target === "delete" && state.placementCount(record) === 0) state.removeRecord(record);
  }
  state.finishRun(run, report.endpoints);
}
