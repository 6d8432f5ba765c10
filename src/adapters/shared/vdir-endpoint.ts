import { readFileSync } from "node:fs";
import { join } from "node:path";
import type {
  CollectionMeta,
  Domain,
  Endpoint,
  GuardVerdict,
  Listed,
  ReadError,
  ReadResult,
  SyncItem,
  WriteBatch,
  WriteOutcome,
} from "../../core/endpoint.js";
import type { Fields } from "../../core/fields.js";
import { VdirStore } from "./vdir-store.js";

/**
 * What a domain tells the vdir endpoint about its file format. `Meta` is what a writer must
 * keep from the file it replaces (a vCard's version, an event's SEQUENCE...).
 */
export interface VdirFormat<Meta> {
  readonly domain: Domain;
  readonly extension: string;
  /** Loads the codec; called before the first parse or serialize, so unchanged syncs skip it. */
  load(): Promise<void>;
  parse(
    text: string,
    path: string,
  ): { ok: true; item: Omit<SyncItem, "modified">; meta: Meta } | { ok: false; error: ReadError };
  serialize(fields: Fields, uid: string, previous: Meta | undefined): string;
  /**
   * The Meta of a file found with less work than parse() (which also builds the item's Fields
   * and match keys); undefined: parse it.
   */
  peekMeta?(text: string, path: string): Meta | undefined;
}

/**
 * `vdir:DIR`: one item per file, as vdirsyncer, khard and khal keep them. Existing files keep
 * their names; new files are named after the UID, made safe.
 */
export class VdirEndpoint<Meta> implements Endpoint {
  readonly readOnly = false;
  readonly uri: string;
  readonly domain: Domain;
  private readonly store: VdirStore;
  private readonly metas = new Map<string, Meta>();
  /** What the last list() gave: native id → token (a claimed new name has none yet). */
  private listed = new Map<string, string>();

  constructor(
    dir: string,
    private readonly format: VdirFormat<Meta>,
  ) {
    this.uri = `vdir:${dir}`;
    this.domain = format.domain;
    this.store = new VdirStore(dir, format.extension);
  }

  async guard(): Promise<GuardVerdict> {
    return { enabled: true };
  }

  async list(): Promise<Listed[]> {
    const listed = this.store.list();
    this.listed = new Map(listed.map((l) => [l.id, l.token]));
    return listed;
  }

  async read(ids: string[]): Promise<Map<string, ReadResult>> {
    await this.format.load();
    return new Map(ids.map((id) => [id, this.readOne(id)]));
  }

  /**
   * Reads and parses one item. Its Meta is kept only when asked for (an update is about to
   * replace the file): holding every item's Meta through a first sync pins each file's text.
   */
  private readOne(id: string, keepMeta = false): ReadResult {
    const path = this.store.path(id);
    let text: string;
    try {
      text = this.store.read(id);
    } catch (error) {
      return { ok: false, error: { where: path, message: `cannot read: ${(error as Error).message}` } };
    }
    const parsed = this.format.parse(text, path);
    if (!parsed.ok) return parsed;
    if (keepMeta) this.metas.set(id, parsed.meta);
    const token = this.listed.get(id);
    const modified = token ? VdirStore.modifiedAt(token) : Date.now();
    return { ok: true, item: { ...parsed.item, modified } };
  }

  private learnMeta(id: string): void {
    let meta: Meta | undefined;
    try {
      meta = this.format.peekMeta?.(this.store.read(id), this.store.path(id));
    } catch {
      // Unreadable now: readOne below reports nothing either; the writer goes without Meta.
    }
    if (meta !== undefined) this.metas.set(id, meta);
    else this.readOne(id, true);
  }

  async write(batch: WriteBatch): Promise<WriteOutcome[]> {
    await this.format.load();
    // An update must know the file it replaces (a vCard's version, an event's SEQUENCE): read it now.
    for (const u of batch.update) if (!this.metas.has(u.id)) this.learnMeta(u.id);
    const outcomes: WriteOutcome[] = [];
    for (const id of batch.delete) {
      try {
        await this.store.remove(id);
        this.listed.delete(id);
        outcomes.push({ kind: "delete", id, ok: true });
      } catch (error) {
        outcomes.push({ kind: "delete", id, ok: false, error: (error as Error).message });
      }
    }
    const writes = [
      ...batch.update.map((u) => ({ kind: "update" as const, id: u.id, uid: u.uid, fields: u.fields })),
      ...batch.create.map((c) => ({
        kind: "create" as const,
        id: this.claimId(c.uid),
        uid: c.uid,
        fields: c.fields,
      })),
    ];
    const results = await this.store.writeMany(
      writes.map((w) => ({
        id: w.id,
        text: () => this.format.serialize(w.fields, w.uid, this.metas.get(w.id)),
      })),
    );
    writes.forEach((w, i) => {
      this.metas.delete(w.id);
      const result = results[i];
      if (result && "token" in result)
        outcomes.push({ kind: w.kind, uid: w.uid, ok: true, id: w.id, token: result.token });
      else
        outcomes.push({
          kind: w.kind,
          uid: w.uid,
          id: w.id,
          ok: false,
          error: result?.error ?? "not written",
        });
    });
    return outcomes;
  }

  /** vdirsyncer's metadata files: `displayname` and `color` inside the vdir. */
  async readCollection(): Promise<CollectionMeta> {
    const meta: CollectionMeta = {};
    const displayName = this.metaFile("displayname");
    const color = this.metaFile("color");
    if (displayName) meta.displayName = displayName;
    if (color) meta.color = color;
    return meta;
  }

  async writeCollection(meta: CollectionMeta): Promise<void> {
    const files = [
      ...(meta.displayName ? [{ id: "displayname", text: () => `${meta.displayName}\n` }] : []),
      ...(meta.color ? [{ id: "color", text: () => `${meta.color}\n` }] : []),
    ];
    for (const result of await this.store.writeMany(files))
      if ("error" in result) throw new Error(result.error);
  }

  private metaFile(name: string): string | undefined {
    try {
      return readFileSync(join(this.store.dir, name), "utf8").trim() || undefined;
    } catch {
      return undefined;
    }
  }

  private claimId(uid: string): string {
    const id = this.store.newId(uid, this.listed);
    this.listed.set(id, "");
    return id;
  }
}
