/**
 * `backup`: reads a source into the repository as one snapshot. A file whose size, mtime and mode
 * match the device's previous snapshot is taken from it unread (restic's parent rule; a backup
 * folder or a device gives no inode or ctime to check). Everything else is chunked by its policy,
 * hashed, and stored unless a blob with that hash exists.
 */
import type { Readable } from "node:stream";
import { type ChunkPolicy, choosePolicy, POLICY_SNIFF_BYTES } from "./chunk-policy.js";
import { chunkStream, fixedChunks } from "./chunker.js";
import { assertSafeRelativePath } from "./domains.js";
import { compressionPays } from "./repository/codec.js";
import { withWriterLock } from "./repository/lock.js";
import type { Repository } from "./repository/repository.js";
import {
  encodeTree,
  entryKey,
  listSnapshots,
  loadTree,
  type Snapshot,
  type SnapshotEntry,
} from "./snapshot.js";
import type { BackupSource, TreeEntry } from "./tree.js";

export interface BackupProgress {
  phase: "scan" | "backup";
  files: number;
  filesTotal: number;
  bytes: number;
  bytesTotal: number;
}

export interface BackupSummary {
  snapshot: Snapshot;
  /** Bytes written to packs (after compression and encryption). */
  storedBytes: number;
  /** File bytes read that were already in the repository. */
  dedupBytes: number;
  /** File bytes read from the source. */
  readBytes: number;
  /** Files taken unread from the previous snapshot. */
  unchangedFiles: number;
  /** Packs of an interrupted run indexed again before this one. */
  reindexedPacks: number;
  seconds: number;
}

export interface BackupOptions {
  repo: Repository;
  source: BackupSource;
  onProgress?: (p: BackupProgress) => void;
  /** Injected clock for tests of retention; default now. */
  now?: () => Date;
}

export async function backup(options: BackupOptions): Promise<BackupSummary> {
  const { repo } = options;
  return withWriterLock(repo, async () => {
    const started = performance.now();
    const reindexedPacks = (await repo.reindexOrphans()).length;
    return _backup(options, started, reindexedPacks);
  });
}

async function _backup(
  options: BackupOptions,
  started: number,
  reindexedPacks: number,
): Promise<BackupSummary> {
  const { repo, source, onProgress } = options;
  const device = await source.device();
  const parent = await parentTree(repo, device.udid);
  const listed: TreeEntry[] = [];
  for await (const entry of source.entries()) {
    assertSafeRelativePath(entry.relativePath, `${source.uri}: ${entry.domain}-${entry.relativePath}`);
    listed.push(entry);
    if (listed.length % 1000 === 0)
      onProgress?.({ phase: "scan", files: listed.length, filesTotal: 0, bytes: 0, bytesTotal: 0 });
  }
  const progress: BackupProgress = {
    phase: "backup",
    files: 0,
    filesTotal: listed.length,
    bytes: 0,
    bytesTotal: listed.reduce((sum, e) => sum + (e.kind === "file" ? e.size : 0), 0),
  };
  const totals = { storedBytes: 0, dedupBytes: 0, readBytes: 0, unchangedFiles: 0 };
  const entries: SnapshotEntry[] = [];
  // A few files at once, so reading one overlaps chunking, hashing and sealing another.
  await forEachConcurrent(listed, FILES_IN_FLIGHT, async (entry) => {
    if (entry.kind === "file") {
      const before = parent.get(entryKey(entry));
      if (before && unchanged(before, entry) && before.chunks?.every((id) => repo.has(id))) {
        entries.push({ ...entry, chunks: before.chunks });
        totals.unchangedFiles++;
        progress.bytes += entry.size;
      } else {
        const onBytes = (n: number) => {
          progress.bytes += n;
          onProgress?.(progress);
        };
        entries.push(await storeFile(repo, entry, await source.open(entry), totals, onBytes));
      }
    } else entries.push({ ...entry });
    progress.files++;
    onProgress?.(progress);
  });
  entries.sort((a, b) => (entryKey(a) < entryKey(b) ? -1 : 1));
  const tree = await repo.saveBlob(encodeTree(entries), true);
  totals.storedBytes += tree.stored;
  await repo.flush();
  const body: Omit<Snapshot, "id"> = {
    time: (options.now?.() ?? new Date()).toISOString(),
    device,
    source: source.uri,
    tree: tree.id,
    files: entries.filter((e) => e.kind === "file").length,
    dirs: entries.filter((e) => e.kind === "dir").length,
    bytes: entries.reduce((sum, e) => sum + (e.kind === "file" ? e.size : 0), 0),
    missing: source
      .missing()
      .map((m) => ({ domain: m.entry.domain, relativePath: m.entry.relativePath, reason: m.reason })),
  };
  const id = await repo.saveSnapshotJson(body);
  return {
    snapshot: { ...body, id },
    ...totals,
    reindexedPacks,
    seconds: (performance.now() - started) / 1000,
  };
}

const FILES_IN_FLIGHT = 3;

/** Runs `work` on every item, `limit` at a time. After a failure no new item starts, and the
 * call settles only when the running ones have, so nothing writes after it rejects. */
async function forEachConcurrent<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      try {
        await work(items[next++] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (rejected) throw rejected.reason;
}

const unchanged = (a: TreeEntry, b: TreeEntry) =>
  a.kind === "file" && a.size === b.size && a.mtime === b.mtime && a.mode === b.mode;

/** The device's latest snapshot's files by key; empty for its first backup. */
async function parentTree(repo: Repository, udid: string): Promise<Map<string, SnapshotEntry>> {
  const last = (await listSnapshots(repo)).filter((s) => s.device.udid === udid).at(-1);
  if (!last) return new Map();
  return new Map((await loadTree(repo, last)).map((e) => [entryKey(e), e]));
}

async function storeFile(
  repo: Repository,
  entry: TreeEntry,
  content: Readable,
  totals: { storedBytes: number; dedupBytes: number; readBytes: number },
  onBytes: (n: number) => void,
): Promise<SnapshotEntry> {
  const { policy, stream } = await sniff(content);
  const chunks: string[] = [];
  let size = 0;
  let compress: boolean | undefined = policy.kind === "media" ? false : undefined;
  const pieces =
    policy.kind === "sqlite" ? fixedChunks(stream, policy.chunkSize) : chunkStream(stream, policy.cdc);
  for await (const chunk of pieces) {
    compress ??= compressionPays(chunk);
    const { id, stored } = await repo.saveBlob(chunk, compress);
    chunks.push(id);
    size += chunk.length;
    totals.storedBytes += stored;
    if (stored === 0) totals.dedupBytes += chunk.length;
    onBytes(chunk.length);
  }
  totals.readBytes += size;
  // The file may have grown or shrunk since it was listed; the snapshot records what was read.
  return { ...entry, size, chunks };
}

/** Reads enough of a stream to choose its policy, and gives back a stream of all of it. */
async function sniff(content: Readable): Promise<{ policy: ChunkPolicy; stream: AsyncIterable<Uint8Array> }> {
  const iterator = content[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const head: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < POLICY_SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    length += next.value.length;
  }
  const policy = choosePolicy(Buffer.concat(head));
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield* head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { policy, stream: rest() };
}
