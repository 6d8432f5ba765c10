import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { inflateJson } from "../core/deflated-json.js";
import type { Fields } from "../core/fields.js";
import { sha256 } from "../core/sha256.js";
import { AlbumsState } from "./albums-store.js";
import { StateCorruptError } from "./errors.js";
import { MIGRATIONS, SCHEMA, SCHEMA_VERSION } from "./schema.js";

export interface Placement {
  nativeId: string;
  record: number;
  token: string;
  hash: string;
  /** On a lossy endpoint: the record hash this side's (partial) content stands for. */
  reflects?: string;
}

export interface StoredRecord {
  id: number;
  uid: string;
  hash: string;
  deleted: boolean;
  base: Fields;
  /** The base as stored: canonical JSON, whose hash is `hash`. */
  baseJson: string;
  doc: Uint8Array | undefined;
}

export interface ConflictRow {
  run: number;
  uid: string;
  label: string;
  field: string;
  values: { endpoint: string; value: string | undefined }[];
  winner: string;
  reason: string;
}

/** All SQL lives here. Callers group writes with transaction(). */
export class SyncState {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** Whether this connection already deleted the quiet mark since it was last set. */
  private quietForgotten = false;

  private constructor(
    readonly file: string,
    db: Database.Database,
  ) {
    this.db = db;
  }

  static open(file: string): SyncState {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    let db: Database.Database | undefined;
    try {
      db = new Database(file);
      db.pragma("journal_mode = WAL");
      // The state holds every contact and event: readable by its owner only, like the data it mirrors.
      if (file !== ":memory:")
        for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
      db.pragma("synchronous = NORMAL");
      // SQLite's own default page cache (better-sqlite3 builds with 16 MB): a first sync's one big
      // transaction would otherwise keep 16 MB of pages resident on top of the records in memory.
      db.pragma("cache_size = -2000");
      const version = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get()
        ? (db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get() as string | undefined)
        : undefined;
      if (version !== undefined) migrate(db, Number(version));
      db.exec(SCHEMA);
      if (version === undefined)
        db.prepare("INSERT INTO meta VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
      return new SyncState(file, db);
    } catch (error) {
      db?.close();
      throw new StateCorruptError(file, (error as Error).message);
    }
  }

  close(): void {
    this.db.close();
  }

  /** Each statement is prepared once per connection: preparing costs more than running it. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** The photo-album tables. */
  albums(): AlbumsState {
    return new AlbumsState(this.db);
  }

  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (error) {
      this.quietForgotten = false; // the deletion was rolled back with the rest
      throw error;
    }
  }

  endpointId(uri: string): number {
    this.sql("INSERT OR IGNORE INTO endpoints (uri) VALUES (?)").run(uri);
    return this.sql("SELECT id FROM endpoints WHERE uri = ?").pluck().get(uri) as number;
  }

  placements(endpoint: number): Map<string, Placement> {
    const rows = this.sql(
      "SELECT native_id, record, token, hash, reflects FROM placements WHERE endpoint = ?",
    )
      .raw()
      .all(endpoint) as PlacementRow[];
    return new Map(rows.map((row) => [row[0], placementOf(row)]));
  }

  /**
   * native id → change token of every item placed on an endpoint: all a run needs to tell an
   * unchanged item from one to read. Two strings a row, not a Placement object.
   */
  placementTokens(endpoint: number): Map<string, string> {
    const rows = this.sql("SELECT native_id, token FROM placements WHERE endpoint = ?")
      .raw()
      .all(endpoint) as [string, string][];
    return new Map(rows);
  }

  placement(endpoint: number, nativeId: string): Placement | undefined {
    return this.onePlacement("placements WHERE endpoint = ? AND native_id = ?", endpoint, nativeId);
  }

  /** Where a record is placed on an endpoint (one item at most). */
  placementOfRecord(endpoint: number, record: number): Placement | undefined {
    return this.onePlacement(
      "placements INDEXED BY placements_record WHERE record = ? AND endpoint = ?",
      record,
      endpoint,
    );
  }

  private onePlacement(where: string, ...params: (string | number)[]): Placement | undefined {
    const row = this.sql(`SELECT native_id, record, token, hash, reflects FROM ${where}`)
      .raw()
      .get(...params) as PlacementRow | undefined;
    return row && placementOf(row);
  }

  /**
   * Records that a side holds in a version other than the agreed one (a write failed, a lossy
   * side's partial copy is stale), or that are tombstones, on any of these endpoints; `among`
   * limits the check to those records (the ones a run just wrote).
   */
  recordsOutOfSync(endpoints: number[], among?: number[]): number[] {
    const text = `SELECT DISTINCT p.record FROM placements p JOIN records r ON r.id = p.record
      WHERE p.endpoint IN (${endpoints.map(() => "?").join(", ")})
      AND (r.deleted = 1 OR (p.hash <> r.hash AND (p.reflects IS NULL OR p.reflects <> r.hash)))
      ${among ? `AND p.record IN ${AMONG}` : ""}`;
    return this.sql(text)
      .pluck()
      .all(...endpoints, ...(among ? [JSON.stringify(among)] : [])) as number[];
  }

  /** Hash and tombstone flag of every record, for the cheap in-sync checks of a run. */
  recordHashes(): Map<number, { hash: string; deleted: boolean }> {
    const rows = this.sql("SELECT id, hash, deleted FROM records").raw().all() as [number, string, number][];
    const out = new Map<number, { hash: string; deleted: boolean }>();
    for (const [id, hash, deleted] of rows) out.set(id, { hash, deleted: deleted === 1 });
    return out;
  }

  record(id: number): StoredRecord | undefined {
    const row = this.sql("SELECT id, uid, hash, base, doc, deleted FROM records WHERE id = ?").get(id) as
      | { id: number; uid: string; hash: string; base: Buffer; doc: Buffer | null; deleted: number }
      | undefined;
    if (!row) return undefined;
    const baseJson = inflateJson(row.base);
    return {
      id: row.id,
      uid: row.uid,
      hash: row.hash,
      deleted: row.deleted === 1,
      base: JSON.parse(baseJson) as Fields,
      baseJson,
      doc: row.doc ? new Uint8Array(row.doc) : undefined,
    };
  }

  hasRecords(): boolean {
    return this.sql("SELECT EXISTS (SELECT 1 FROM records)").pluck().get() === 1;
  }

  recordsWithUid(uid: string): number[] {
    return this.sql("SELECT id FROM records WHERE uid = ?").pluck().all(uid) as number[];
  }

  recordsWithKey(key: string): number[] {
    return this.sql("SELECT record FROM match_keys WHERE key = ?").pluck().all(keyDigest(key)) as number[];
  }

  /** Live records that have no placement on this endpoint (of `among`, when given): they still need to reach it. */
  recordsMissingFrom(endpoint: number, among?: number[]): number[] {
    return this.sql(
      `SELECT id FROM records WHERE deleted = 0 AND id NOT IN (SELECT record FROM placements WHERE endpoint = ?)
        ${among ? `AND id IN ${AMONG}` : ""}`,
    )
      .pluck()
      .all(endpoint, ...(among ? [JSON.stringify(among)] : [])) as number[];
  }

  saveRecord(r: {
    id?: number;
    uid: string;
    hash: string;
    /** Canonical JSON of the agreed Fields, deflated (deflateJson). */
    deflatedBase: Buffer;
    doc: Uint8Array | undefined;
    deleted: boolean;
    /** Match keys; undefined keeps the ones stored. */
    keys: string[] | undefined;
  }): number {
    this.forgetQuiet();
    const doc = r.doc ? Buffer.from(r.doc) : null;
    let id = r.id;
    if (id === undefined) {
      id = Number(
        this.sql("INSERT INTO records (uid, hash, base, doc, deleted) VALUES (?, ?, ?, ?, ?)").run(
          r.uid,
          r.hash,
          r.deflatedBase,
          doc,
          r.deleted ? 1 : 0,
        ).lastInsertRowid,
      );
    } else {
      this.sql("UPDATE records SET uid = ?, hash = ?, base = ?, doc = ?, deleted = ? WHERE id = ?").run(
        r.uid,
        r.hash,
        r.deflatedBase,
        doc,
        r.deleted ? 1 : 0,
        id,
      );
      if (r.keys) this.sql("DELETE FROM match_keys WHERE record = ?").run(id);
    }
    const insertKey = this.sql("INSERT OR IGNORE INTO match_keys (key, record) VALUES (?, ?)");
    for (const key of r.keys ?? []) insertKey.run(keyDigest(key), id);
    return id;
  }

  /** A tombstone: the record is being deleted everywhere; its base stays until every side let go. */
  markDeleted(id: number): void {
    this.forgetQuiet();
    this.sql("UPDATE records SET deleted = 1 WHERE id = ?").run(id);
  }

  removeRecord(id: number): void {
    this.forgetQuiet();
    this.sql("DELETE FROM records WHERE id = ?").run(id);
    this.sql("DELETE FROM match_keys WHERE record = ?").run(id);
    this.sql("DELETE FROM placements WHERE record = ?").run(id);
  }

  /** Placements left for a record (used to retire a tombstone once every side let go). */
  placementCount(record: number): number {
    return this.sql("SELECT count(*) FROM placements WHERE record = ?").pluck().get(record) as number;
  }

  /** What a lossy side held of its record at the last sync (canonical JSON), if it was partial. */
  placementContent(endpoint: number, nativeId: string): string | undefined {
    const row = this.sql("SELECT content FROM placements WHERE endpoint = ? AND native_id = ?")
      .pluck()
      .get(endpoint, nativeId) as Buffer | null | undefined;
    return row ? inflateJson(row) : undefined;
  }

  /** `content`: what a lossy side could hold of the record, deflated (deflateJson). */
  savePlacement(endpoint: number, p: Placement & { content?: Buffer }): void {
    this.forgetQuiet();
    this.sql(
      "DELETE FROM placements INDEXED BY placements_record WHERE record = ? AND endpoint = ? AND native_id <> ?",
    ).run(p.record, endpoint, p.nativeId);
    this.sql(
      "INSERT OR REPLACE INTO placements (endpoint, native_id, record, token, hash, reflects, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(endpoint, p.nativeId, p.record, p.token, p.hash, p.reflects ?? null, p.content ?? null);
  }

  /** The side's content did not change, only its token: keep everything else as it is. */
  updateToken(endpoint: number, nativeId: string, token: string): void {
    this.forgetQuiet();
    this.sql("UPDATE placements SET token = ? WHERE endpoint = ? AND native_id = ?").run(
      token,
      endpoint,
      nativeId,
    );
  }

  removePlacement(endpoint: number, nativeId: string): void {
    this.forgetQuiet();
    this.sql("DELETE FROM placements WHERE endpoint = ? AND native_id = ?").run(endpoint, nativeId);
  }

  startRun(): number {
    return Number(
      this.sql("INSERT INTO runs (started, status) VALUES (?, 'writing')").run(new Date().toISOString())
        .lastInsertRowid,
    );
  }

  finishRun(run: number, summary: unknown): void {
    this.sql("UPDATE runs SET finished = ?, status = 'done', summary = ? WHERE id = ?").run(
      new Date().toISOString(),
      JSON.stringify(summary),
      run,
    );
  }

  /** The listing digests of a group of endpoints left in sync by the last run, if it was. */
  quietDigests(endpoints: number[]): string[] | undefined {
    const json = this.sql("SELECT digests FROM quiet WHERE endpoints = ?").pluck().get(groupKey(endpoints)) as
      | string
      | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as string[]);
  }

  /** Marks a group in sync, each side's listing having the given digest (in endpoint order). */
  markQuiet(endpoints: number[], digests: string[]): void {
    this.quietForgotten = false;
    this.sql("INSERT OR REPLACE INTO quiet (endpoints, digests) VALUES (?, ?)").run(
      groupKey(endpoints),
      JSON.stringify(digests),
    );
  }

  /**
   * Every change to records or placements first deletes the quiet mark (once per connection until
   * it is set again): from then on some side may lack a record, until a run ends in sync.
   */
  private forgetQuiet(): void {
    if (this.quietForgotten) return;
    this.sql("DELETE FROM quiet").run();
    this.quietForgotten = true;
  }

  logConflict(run: number, c: Omit<ConflictRow, "run">): void {
    this.sql(
      'INSERT INTO conflicts (run, uid, label, field, "values", winner, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(run, c.uid, c.label, c.field, JSON.stringify(c.values), c.winner, c.reason);
  }

  conflicts(): ConflictRow[] {
    const rows = this.sql(
      'SELECT run, uid, label, field, "values" AS v, winner, reason FROM conflicts ORDER BY id',
    ).all() as (Omit<ConflictRow, "values"> & { v: string })[];
    return rows.map(({ v, ...rest }) => ({ ...rest, values: JSON.parse(v) }));
  }
}

type PlacementRow = [nativeId: string, record: number, token: string, hash: string, reflects: string | null];

function placementOf([nativeId, record, token, hash, reflects]: PlacementRow): Placement {
  return reflects ? { nativeId, record, token, hash, reflects } : { nativeId, record, token, hash };
}

/** A list of record ids, bound as one JSON array parameter. */
const AMONG = "(SELECT value FROM json_each(?))";

/** A group's key: its endpoint ids in order, as the sync names them. */
function groupKey(endpoints: number[]): string {
  return endpoints.join(",");
}

/** Match keys hold names, phones and emails: the state keeps a 48-bit digest, not the text. */
function keyDigest(key: string): number {
  return sha256(key, "buffer").readUIntBE(0, 6);
}

/** Brings an older state up to SCHEMA_VERSION; a newer one is refused rather than damaged. */
function migrate(db: Database.Database, from: number): void {
  if (from > SCHEMA_VERSION)
    throw new Error(`schema version ${from} is newer than this Cradle (${SCHEMA_VERSION})`);
  db.transaction(() => {
    for (let v = from; v < SCHEMA_VERSION; v++) {
      const step = MIGRATIONS[v];
      if (step === undefined) throw new Error(`no migration from schema version ${v}`);
      db.exec(step);
    }
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema'").run(String(SCHEMA_VERSION));
  })();
}
