/**
 * The state database, one per group of endpoints that sync together.
 *
 * - records: what all sides agreed on at the last sync (base, deflated canonical JSON), its
 *   hash, and the record's CRDT document once one has been materialised. A record whose
 *   deletion is being propagated keeps its base as a tombstone until every side has let go.
 * - placements: where each record lives on each endpoint, the change token seen there, and the
 *   hash of the content that side holds. A side is in sync when that hash equals the record's,
 *   or, on a lossy endpoint, when `reflects` does: then `content` keeps what the side could hold
 *   of the record, the base its later edits are diffed against.
 * - match_keys: name+phone / name+email keys, so a record is matched rather than duplicated.
 * - conflicts and runs: the log a user reads with `cradle conflicts`.
 * - quiet: a group of endpoints that a run left fully in sync, with a digest of each side's
 *   listing then. Every run that writes the state deletes it first (startRun), so while the row
 *   exists nothing is out of sync, and a side whose listing digest is unchanged changed nothing.
 */
export const SCHEMA_VERSION = 4;

const QUIET_TABLE = `
CREATE TABLE IF NOT EXISTS quiet (endpoints TEXT PRIMARY KEY, digests TEXT NOT NULL) WITHOUT ROWID;
`;

/**
 * Photo albums (src/merge/albums): the Yjs documents (one for the folder tree, one per album),
 * what each side held at the last sync (its album view, deflated JSON, and that view's hash),
 * which of the side's folders and albums is which node, and each side's asset fingerprints by
 * native id with the token they were computed at, so unchanged files are never hashed again.
 */
const ALBUM_TABLES = `
CREATE TABLE IF NOT EXISTS album_docs (name TEXT PRIMARY KEY, doc BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS album_sides (
  endpoint INTEGER PRIMARY KEY,
  view BLOB NOT NULL,
  hash TEXT NOT NULL,
  in_sync INTEGER NOT NULL,
  token TEXT
);
CREATE TABLE IF NOT EXISTS album_nodes (
  endpoint INTEGER NOT NULL,
  native_id TEXT NOT NULL,
  ref TEXT NOT NULL,
  PRIMARY KEY (endpoint, native_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS album_assets (
  endpoint INTEGER NOT NULL,
  native_id TEXT NOT NULL,
  token TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  PRIMARY KEY (endpoint, native_id)
) WITHOUT ROWID;
`;

/** Steps from each older version to the next, run in one transaction when a state is opened. */
export const MIGRATIONS: Record<number, string> = {
  // 1 → 2: lossy endpoints keep what a side could hold of a record.
  1: "ALTER TABLE placements ADD COLUMN reflects TEXT; ALTER TABLE placements ADD COLUMN content BLOB;",
  // 2 → 3: photo albums.
  2: ALBUM_TABLES,
  // 3 → 4: the quiet mark of a group left in sync.
  3: QUIET_TABLE,
};

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS endpoints (id INTEGER PRIMARY KEY, uri TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL,
  hash TEXT NOT NULL,
  base BLOB NOT NULL,
  doc BLOB,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS records_uid ON records (uid);
CREATE TABLE IF NOT EXISTS match_keys (
  key INTEGER NOT NULL,
  record INTEGER NOT NULL,
  PRIMARY KEY (key, record)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS match_keys_record ON match_keys (record);
CREATE TABLE IF NOT EXISTS placements (
  endpoint INTEGER NOT NULL,
  native_id TEXT NOT NULL,
  record INTEGER NOT NULL,
  token TEXT NOT NULL,
  hash TEXT NOT NULL,
  reflects TEXT,
  content BLOB,
  PRIMARY KEY (endpoint, native_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS placements_record ON placements (record, endpoint);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  started TEXT NOT NULL,
  finished TEXT,
  status TEXT NOT NULL,
  summary TEXT
);
CREATE TABLE IF NOT EXISTS conflicts (
  id INTEGER PRIMARY KEY,
  run INTEGER NOT NULL,
  uid TEXT NOT NULL,
  label TEXT NOT NULL,
  field TEXT NOT NULL,
  "values" TEXT NOT NULL,
  winner TEXT NOT NULL,
  reason TEXT NOT NULL
);
${ALBUM_TABLES}${QUIET_TABLE}`;
