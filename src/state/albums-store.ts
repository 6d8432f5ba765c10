import { deflateRawSync, inflateRawSync } from "node:zlib";
import type Database from "better-sqlite3";

/** What the album sync keeps about one side: its view at the last sync, and whether that equalled the agreed one. */
export interface AlbumSide {
  view: string;
  hash: string;
  inSync: boolean;
  /** The store's change token when the view was taken, if it has one. */
  token?: string;
}

/** The album sync's SQL (tables in schema.ts). Writes go inside SyncState.transaction(). */
export class AlbumsState {
  constructor(private readonly db: Database.Database) {}

  doc(name: string): Uint8Array | undefined {
    const row = this.db.prepare("SELECT doc FROM album_docs WHERE name = ?").pluck().get(name) as
      | Buffer
      | undefined;
    return row ? new Uint8Array(row) : undefined;
  }

  saveDoc(name: string, doc: Uint8Array): void {
    this.db
      .prepare("INSERT OR REPLACE INTO album_docs (name, doc) VALUES (?, ?)")
      .run(name, Buffer.from(doc));
  }

  /** The hash of a side's last view, without inflating the view. */
  sideHash(endpoint: number): { hash: string; inSync: boolean; token?: string } | undefined {
    const row = this.db
      .prepare("SELECT hash, in_sync, token FROM album_sides WHERE endpoint = ?")
      .get(endpoint) as { hash: string; in_sync: number; token: string | null } | undefined;
    if (!row) return undefined;
    const side = { hash: row.hash, inSync: row.in_sync === 1 };
    return row.token === null ? side : { ...side, token: row.token };
  }

  sideView(endpoint: number): string | undefined {
    const row = this.db.prepare("SELECT view FROM album_sides WHERE endpoint = ?").pluck().get(endpoint) as
      | Buffer
      | undefined;
    return row ? inflateRawSync(row).toString("utf8") : undefined;
  }

  saveSide(endpoint: number, side: AlbumSide): void {
    this.db
      .prepare(
        "INSERT OR REPLACE INTO album_sides (endpoint, view, hash, in_sync, token) VALUES (?, ?, ?, ?, ?)",
      )
      .run(endpoint, deflateRawSync(side.view), side.hash, side.inSync ? 1 : 0, side.token ?? null);
  }

  /** The side's native folder/album id → node ref. */
  nodes(endpoint: number): Map<string, string> {
    const rows = this.db
      .prepare("SELECT native_id, ref FROM album_nodes WHERE endpoint = ?")
      .raw()
      .all(endpoint) as [string, string][];
    return new Map(rows);
  }

  replaceNodes(endpoint: number, nodes: Map<string, string>): void {
    this.db.prepare("DELETE FROM album_nodes WHERE endpoint = ?").run(endpoint);
    const insert = this.db.prepare("INSERT INTO album_nodes (endpoint, native_id, ref) VALUES (?, ?, ?)");
    for (const [id, ref] of nodes) insert.run(endpoint, id, ref);
  }

  /** The side's native asset id → the token and fingerprint it was hashed at. */
  assets(endpoint: number): Map<string, { token: string; fingerprint: string }> {
    const rows = this.db
      .prepare("SELECT native_id, token, fingerprint FROM album_assets WHERE endpoint = ?")
      .raw()
      .all(endpoint) as [string, string, string][];
    return new Map(rows.map(([id, token, fingerprint]) => [id, { token, fingerprint }]));
  }

  /** Makes the side's cache `assets`, writing only the rows that differ from `stored` (what it holds now). */
  updateAssets(
    endpoint: number,
    assets: Map<string, { token: string; fingerprint: string }>,
    stored: Map<string, { token: string; fingerprint: string }>,
  ): void {
    const remove = this.db.prepare("DELETE FROM album_assets WHERE endpoint = ? AND native_id = ?");
    const upsert = this.db.prepare(
      "INSERT OR REPLACE INTO album_assets (endpoint, native_id, token, fingerprint) VALUES (?, ?, ?, ?)",
    );
    for (const id of stored.keys()) if (!assets.has(id)) remove.run(endpoint, id);
    for (const [id, a] of assets) {
      const was = stored.get(id);
      if (was?.token !== a.token || was.fingerprint !== a.fingerprint)
        upsert.run(endpoint, id, a.token, a.fingerprint);
    }
  }
}
