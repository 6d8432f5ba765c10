import type {
  Domain,
  Endpoint,
  GuardVerdict,
  Listed,
  ReadResult,
  SyncItem,
  WriteBatch,
  WriteOutcome,
} from "../../core/endpoint.js";
import { canonicalJson, type Fields } from "../../core/fields.js";

/**
 * An endpoint held in memory: `memory:NAME`. It stores Fields as they are, so the engine's tests
 * and property checks run fast. Items can be edited directly through `items`; `touch` changes a
 * token without changing content, as a flaky etag or a touched file would.
 */
export class MemoryEndpoint implements Endpoint {
  readonly items = new Map<string, { uid: string; fields: Fields; modified: number; token: number }>();
  readonly unreadable = new Map<string, string>();
  guardVerdict: GuardVerdict = { enabled: true };
  private nextId = 1;
  private clock = 1;
  reads = 0;
  writes = 0;

  constructor(
    readonly uri: string,
    readonly domain: Domain = "contacts",
    readonly readOnly = false,
  ) {}

  async guard(): Promise<GuardVerdict> {
    return this.guardVerdict;
  }

  async list(): Promise<Listed[]> {
    const listed = [...this.items].map(([id, item]) => ({ id, token: String(item.token) }));
    for (const id of this.unreadable.keys()) listed.push({ id, token: "unreadable" });
    return listed;
  }

  async read(ids: string[]): Promise<Map<string, ReadResult>> {
    const out = new Map<string, ReadResult>();
    for (const id of ids) {
      this.reads++;
      const broken = this.unreadable.get(id);
      const item = this.items.get(id);
      if (broken !== undefined)
        out.set(id, { ok: false, error: { where: `${this.uri}/${id}`, message: broken } });
      else if (item) out.set(id, { ok: true, item: toSyncItem(item) });
      else
        out.set(id, { ok: false, error: { where: `${this.uri}/${id}`, message: "vanished while syncing" } });
    }
    return out;
  }

  async write(batch: WriteBatch): Promise<WriteOutcome[]> {
    const outcomes: WriteOutcome[] = [];
    for (const id of batch.delete) {
      this.writes++;
      this.items.delete(id);
      outcomes.push({ kind: "delete", id, ok: true });
    }
    for (const u of batch.update) {
      this.writes++;
      this.items.set(u.id, {
        uid: u.uid,
        fields: structuredClone(u.fields),
        modified: this.tick(),
        token: this.tick(),
      });
      outcomes.push({
        kind: "update",
        uid: u.uid,
        ok: true,
        id: u.id,
        token: String(this.items.get(u.id)?.token),
      });
    }
    for (const c of batch.create) {
      this.writes++;
      const id = `item-${this.nextId++}`;
      this.items.set(id, {
        uid: c.uid,
        fields: structuredClone(c.fields),
        modified: this.tick(),
        token: this.tick(),
      });
      outcomes.push({ kind: "create", uid: c.uid, ok: true, id, token: String(this.items.get(id)?.token) });
    }
    return outcomes;
  }

  /** Adds or replaces an item as a user would, with a fresh token and modification time. */
  put(id: string, uid: string, fields: Fields, modified = this.tick()): void {
    this.items.set(id, { uid, fields: structuredClone(fields), modified, token: this.tick() });
  }

  /** Changes the token only. */
  touch(id: string): void {
    const item = this.items.get(id);
    if (item) item.token = this.tick();
  }

  /** The content, by UID, for comparisons in tests. */
  snapshot(): Map<string, string> {
    return new Map([...this.items.values()].map((i) => [i.uid, canonicalJson(i.fields)]));
  }

  private tick(): number {
    return this.clock++;
  }
}

function toSyncItem(item: { uid: string; fields: Fields; modified: number }): SyncItem {
  const fn = item.fields.scalars.FN ?? item.uid;
  return {
    uid: item.uid,
    fields: structuredClone(item.fields),
    label: fn,
    matchKeys: [],
    modified: item.modified,
  };
}
