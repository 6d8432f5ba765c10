/** Endpoint wrappers that misbehave on purpose: crashes, failing writes, odd listings, match keys. */
import type { MemoryEndpoint } from "../../src/adapters/memory/endpoint.js";
import type {
  Domain,
  Endpoint,
  GuardVerdict,
  Listed,
  ReadResult,
  WriteBatch,
  WriteOutcome,
} from "../../src/core/endpoint.js";
import type { SyncState } from "../../src/state/store.js";

/** Thrown by the crash helpers; stands for the process dying at that point. */
export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash ${where}`);
    this.name = "SimulatedCrash";
  }
}

/** Delegates everything to a MemoryEndpoint; subclasses override what they break. */
export class WrappedEndpoint implements Endpoint {
  /** Calls to read() and the ids each asked for. */
  readonly readCalls: string[][] = [];
  constructor(readonly inner: MemoryEndpoint) {}
  get uri(): string {
    return this.inner.uri;
  }
  get domain(): Domain {
    return this.inner.domain;
  }
  get readOnly(): boolean {
    return this.inner.readOnly;
  }
  guard(): Promise<GuardVerdict> {
    return this.inner.guard();
  }
  list(): Promise<Listed[]> {
    return this.inner.list();
  }
  read(ids: string[]): Promise<Map<string, ReadResult>> {
    this.readCalls.push([...ids]);
    return this.inner.read(ids);
  }
  write(batch: WriteBatch): Promise<WriteOutcome[]> {
    return this.inner.write(batch);
  }
}

/** A budget of writes shared by several endpoints: once it is spent, the next write crashes. */
export interface WriteBudget {
  left: number;
  /** Writes that went through. */
  done: number;
}

/**
 * Splits every batch into single writes (in the contract's order: deletes, updates, creates) and
 * crashes before the write that would exceed the shared budget: with `left = n`, n writes land.
 */
export class CrashingEndpoint extends WrappedEndpoint {
  constructor(
    inner: MemoryEndpoint,
    readonly budget: WriteBudget,
  ) {
    super(inner);
  }

  override async write(batch: WriteBatch): Promise<WriteOutcome[]> {
    const out: WriteOutcome[] = [];
    const one = async (b: WriteBatch) => {
      if (this.budget.left <= 0) throw new SimulatedCrash(`before write ${this.budget.done + 1}`);
      this.budget.left--;
      this.budget.done++;
      out.push(...(await this.inner.write(b)));
    };
    for (const id of batch.delete) await one({ create: [], update: [], delete: [id] });
    for (const u of batch.update) await one({ create: [], update: [u], delete: [] });
    for (const c of batch.create) await one({ create: [c], update: [], delete: [] });
    return out;
  }
}

/** Reports every write as failed (as a rejecting server would), or throws when `throws` is set. */
export class FailingEndpoint extends WrappedEndpoint {
  attempts = 0;
  constructor(
    inner: MemoryEndpoint,
    readonly mode: { throws?: boolean; failUid?: string } = {},
  ) {
    super(inner);
  }

  override async write(batch: WriteBatch): Promise<WriteOutcome[]> {
    this.attempts += batch.delete.length + batch.update.length + batch.create.length;
    if (this.mode.throws) throw new Error(`${this.uri} is unreachable`);
    const failUid = this.mode.failUid;
    if (failUid === undefined) {
      return [
        ...batch.delete.map((id) => ({ kind: "delete" as const, id, ok: false as const, error: "refused" })),
        ...batch.update.map((u) => ({
          kind: "update" as const,
          id: u.id,
          ok: false as const,
          error: "refused",
        })),
        ...batch.create.map((c) => ({
          kind: "create" as const,
          uid: c.uid,
          ok: false as const,
          error: "refused",
        })),
      ];
    }
    const out: WriteOutcome[] = [];
    for (const id of batch.delete)
      out.push(...(await this.inner.write({ create: [], update: [], delete: [id] })));
    for (const u of batch.update) {
      if (u.uid === failUid) out.push({ kind: "update", id: u.id, ok: false, error: "refused" });
      else out.push(...(await this.inner.write({ create: [], update: [u], delete: [] })));
    }
    for (const c of batch.create) {
      if (c.uid === failUid) out.push({ kind: "create", uid: c.uid, ok: false, error: "refused" });
      else out.push(...(await this.inner.write({ create: [c], update: [], delete: [] })));
    }
    return out;
  }
}

/** Lists each id `times` times, as the buggy server of vdirsyncer's test_duplicate_hrefs. */
export class RepeatingListEndpoint extends WrappedEndpoint {
  constructor(
    inner: MemoryEndpoint,
    readonly times: number,
  ) {
    super(inner);
  }
  override async list(): Promise<Listed[]> {
    const listed = await this.inner.list();
    return listed.flatMap((l) => Array.from({ length: this.times }, () => l));
  }
}

/** Hands out match keys ("fn|tel:..."), as the contacts adapter does, so key matching can be tested. */
export class KeyedEndpoint extends WrappedEndpoint {
  override async read(ids: string[]): Promise<Map<string, ReadResult>> {
    const results = await super.read(ids);
    for (const result of results.values()) {
      if (!result.ok) continue;
      const fn = (result.item.fields.scalars.FN ?? "").toLowerCase();
      const entries = Object.keys(result.item.fields.sets.entries ?? {});
      result.item.matchKeys = entries.map((e) => `${fn}|${e.toLowerCase()}`);
    }
    return results;
  }
}

/**
 * Makes the state crash instead of running its `which`-th transaction from now on (1: the intent
 * before any write; 2: the outcome after the writes). Returns a function that undoes the patch.
 */
export function crashOnTransaction(state: SyncState, which: number): () => void {
  const original = state.transaction;
  let calls = 0;
  state.transaction = <T>(fn: () => T): T => {
    calls++;
    if (calls === which) throw new SimulatedCrash(`instead of state transaction ${which}`);
    return original.call(state, fn) as T;
  };
  return () => {
    state.transaction = original;
  };
}

/**
 * Makes the state crash inside its `which`-th transaction, after `fn` did its work but before the
 * commit, so SQLite must roll the whole transaction back.
 */
export function crashInsideTransaction(state: SyncState, which: number): () => void {
  const original = state.transaction;
  let calls = 0;
  state.transaction = <T>(fn: () => T): T => {
    calls++;
    if (calls !== which) return original.call(state, fn) as T;
    return original.call(state, () => {
      fn();
      throw new SimulatedCrash(`inside state transaction ${which}, before its commit`);
    }) as T;
  };
  return () => {
    state.transaction = original;
  };
}
