import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import Database from "better-sqlite3";
import { canonicalJson, type Fields } from "../core/fields.js";
import { StateCorruptError } from "./errors.js";
import { SCHEMA, SCHEMA_VERSION } from "./schema.js";

export interface Placement {
  nativeId: string;
  record: number;
  token: string;
  hash: string;
}

export interface StoredRecord {
  id: number;
  uid: string;
  hash: string;
  deleted: boolean;
  base: Fields;
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
      db.pragma("synchronous = NORMAL");
      db.exec(SCHEMA);
      const version = db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get() as
        | string
        | undefined;
      if (version === undefined)
        db.prepare("INSERT INTO meta VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
      else if (Number(version) !== SCHEMA_VERSION)
        throw new Error(`schema version ${version}, this Cradle knows ${SCHEMA_VERSION}`);
      return new SyncState(file, db);
    } catch (error) {
      db?.close();
      throw new StateCorruptError(file, (error as Error).message);
    }
  }

  close(): void {
    this.db.close();
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  endpointId(uri: string): number {
    this.db.prepare("INSERT OR IGNORE INTO endpoints (uri) VALUES (?)").run(uri);
    return this.db.prepare("SELECT id FROM endpoints WHERE uri = ?").pluck().get(uri) as number;
  }

  placements(endpoint: number): Map<string, Placement> {
    const rows = this.db
      .prepare("SELECT native_id AS nativeId, record, token, hash FROM placements WHERE endpoint = ?")
      .all(endpoint) as Placement[];
    return new Map(rows.map((row) => [row.nativeId, row]));
  }

  /** Hash and tombstone flag of every record, for the cheap in-sync checks of a run. */
  recordHashes(): Map<number, { hash: string; deleted: boolean; uid: string }> {
    const rows = this.db.prepare("SELECT id, hash, deleted, uid FROM records").all() as {
      id: number;
      hash: string;
      deleted: number;
      uid: string;
    }[];
    return new Map(rows.map((r) => [r.id, { hash: r.hash, deleted: r.deleted === 1, uid: r.uid }]));
  }

  record(id: number): StoredRecord | undefined {
    const row = this.db
      .prepare("SELECT id, uid, hash, base, doc, deleted FROM records WHERE id = ?")
      .get(id) as
      | { id: number; uid: string; hash: string; base: Buffer; doc: Buffer | null; deleted: number }
      | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      uid: row.uid,
      hash: row.hash,
      deleted: row.deleted === 1,
      base: JSON.parse(inflateRawSync(row.base).toString("utf8")) as Fields,
      doc: row.doc ? new Uint8Array(row.doc) : undefined,
    };
  }

  recordsWithUid(uid: string): number[] {
    return this.db.prepare("SELECT id FROM records WHERE uid = ?").pluck().all(uid) as number[];
  }

  recordsWithKey(key: string): number[] {
    return this.db.prepare("SELECT record FROM match_keys WHERE key = ?").pluck().all(key) as number[];
  }

  /** Live records that have no placement on this endpoint: they still need to reach it. */
  recordsMissingFrom(endpoint: number): number[] {
    return this.db
      .prepare(
        "SELECT id FROM records WHERE deleted = 0 AND id NOT IN (SELECT record FROM placements WHERE endpoint = ?)",
      )
      .pluck()
      .all(endpoint) as number[];
  }

  saveRecord(r: {
    id?: number;
    uid: string;
    hash: string;
    base: Fields;
    doc: Uint8Array | undefined;
    deleted: boolean;
    /** Match keys; undefined keeps the ones stored. */
    keys: string[] | undefined;
  }): number {
    const base = deflateRawSync(Buffer.from(canonicalJson(r.base)));
    const doc = r.doc ? Buffer.from(r.doc) : null;
    let id = r.id;
    if (id === undefined) {
      id = Number(
        this.db
          .prepare("INSERT INTO records (uid, hash, base, doc, deleted) VALUES (?, ?, ?, ?, ?)")
          .run(r.uid, r.hash, base, doc, r.deleted ? 1 : 0).lastInsertRowid,
      );
    } else {
      this.db
        .prepare("UPDATE records SET uid = ?, hash = ?, base = ?, doc = ?, deleted = ? WHERE id = ?")
        .run(r.uid, r.hash, base, doc, r.deleted ? 1 : 0, id);
      if (r.keys) this.db.prepare("DELETE FROM match_keys WHERE record = ?").run(id);
    }
    const insertKey = this.db.prepare("INSERT OR IGNORE INTO match_keys (key, record) VALUES (?, ?)");
    for (const key of r.keys ?? []) insertKey.run(key, id);
    return id;
  }

  removeRecord(id: number): void {
    this.db.prepare("DELETE FROM records WHERE id = ?").run(id);
    this.db.prepare("DELETE FROM match_keys WHERE record = ?").run(id);
    this.db.prepare("DELETE FROM placements WHERE record = ?").run(id);
  }

  /** Placements left for a record (used to retire a tombstone once every side let go). */
  placementCount(record: number): number {
    return this.db.prepare("SELECT count(*) FROM placements WHERE record = ?").pluck().get(record) as number;
  }

  savePlacement(endpoint: number, p: Placement): void {
    this.db
      .prepare("DELETE FROM placements WHERE endpoint = ? AND record = ? AND native_id <> ?")
      .run(endpoint, p.record, p.nativeId);
    this.db
      .prepare(
        "INSERT OR REPLACE INTO placements (endpoint, native_id, record, token, hash) VALUES (?, ?, ?, ?, ?)",
      )
      .run(endpoint, p.nativeId, p.record, p.token, p.hash);
  }

  removePlacement(endpoint: number, nativeId: string): void {
    this.db.prepare("DELETE FROM placements WHERE endpoint = ? AND native_id = ?").run(endpoint, nativeId);
  }

  startRun(): number {
    return Number(
      this.db
        .prepare("INSERT INTO runs (started, status) VALUES (?, 'writing')")
        .run(new Date().toISOString()).lastInsertRowid,
    );
  }

  finishRun(run: number, summary: unknown): void {
    this.db
      .prepare("UPDATE runs SET finished = ?, status = 'done', summary = ? WHERE id = ?")
      .run(new Date().toISOString(), JSON.stringify(summary), run);
  }

  logConflict(run: number, c: Omit<ConflictRow, "run">): void {
    this.db
      .prepare(
        'INSERT INTO conflicts (run, uid, label, field, "values", winner, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(run, c.uid, c.label, c.field, JSON.stringify(c.values), c.winner, c.reason);
  }

  conflicts(): ConflictRow[] {
    const rows = this.db
      .prepare('SELECT run, uid, label, field, "values" AS v, winner, reason FROM conflicts ORDER BY id')
      .all() as (Omit<ConflictRow, "values"> & { v: string })[];
    return rows.map(({ v, ...rest }) => ({ ...rest, values: JSON.parse(v) }));
  }
}
