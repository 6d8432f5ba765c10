/**
 * A snapshot: one backup of one device. The snapshot file is small (listing reads only these);
 * the tree (every entry with its chunk list) is a blob in the packs, deduplicated like data.
 * Tree form (deflated JSON): { domains: string[], entries: [domain#, path, kind, mode, mtime,
 * size, chunks[] | linkTarget][] }, domains numbered once because a phone has few of them.
 */
import type { Repository } from "./repository/repository.js";
import type { EntryKind, SourceDevice, TreeEntry } from "./tree.js";

export interface SnapshotEntry extends TreeEntry {
  /** Blob ids of the content, in order (files only). */
  chunks?: string[];
}

export interface Snapshot {
  id: string;
  /** ISO 8601, UTC. */
  time: string;
  device: SourceDevice;
  source: string;
  tree: string;
  files: number;
  dirs: number;
  bytes: number;
  /** Files the source listed but could not deliver. */
  missing: { domain: string; relativePath: string; reason: string }[];
}

type TreeRow = [number, string, EntryKind, number, number, number, string[] | string | null];

interface TreeBody {
  domains: string[];
  entries: TreeRow[];
}

export function encodeTree(entries: SnapshotEntry[]): Buffer {
  const domains: string[] = [];
  const numbers = new Map<string, number>();
  const rows = entries.map((e): TreeRow => {
    let n = numbers.get(e.domain);
    if (n === undefined) {
      n = domains.push(e.domain) - 1;
      numbers.set(e.domain, n);
    }
    const tail = e.kind === "file" ? (e.chunks ?? []) : e.kind === "symlink" ? (e.linkTarget ?? "") : null;
    return [n, e.relativePath, e.kind, e.mode, e.mtime, e.size, tail];
  });
  return Buffer.from(JSON.stringify({ domains, entries: rows } satisfies TreeBody));
}

export function decodeTree(data: Buffer): SnapshotEntry[] {
  const body = JSON.parse(data.toString("utf8")) as TreeBody;
  return body.entries.map(([n, relativePath, kind, mode, mtime, size, tail]) => {
    const entry: SnapshotEntry = { domain: body.domains[n] as string, relativePath, kind, mode, mtime, size };
    if (kind === "file") entry.chunks = tail as string[];
    if (kind === "symlink") entry.linkTarget = tail as string;
    return entry;
  });
}

export async function loadTree(repo: Repository, snapshot: Snapshot): Promise<SnapshotEntry[]> {
  return decodeTree(await repo.loadBlob(snapshot.tree));
}

/** Every snapshot, oldest first. */
export async function listSnapshots(repo: Repository): Promise<Snapshot[]> {
  const snapshots = await Promise.all(
    (await repo.snapshotIds()).map(async (id) => ({
      ...(await repo.loadSnapshotJson<Omit<Snapshot, "id">>(id)),
      id,
    })),
  );
  return snapshots.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.id < b.id ? -1 : 1));
}

export const entryKey = (e: TreeEntry) => `${e.domain}\0${e.relativePath}`;
