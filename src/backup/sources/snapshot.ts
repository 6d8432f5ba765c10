/**
 * A snapshot in the repository read back as a backup source: what `cradle extract SNAP` reads,
 * and what re-exporting or comparing a snapshot needs. Content streams chunk by chunk.
 */
import { Readable } from "node:stream";
import type { Repository } from "../repository/repository.js";
import { entryKey, loadTree, type Snapshot, type SnapshotEntry } from "../snapshot.js";
import type { BackupSource, MissingEntry, SourceDevice, TreeEntry } from "../tree.js";

export class SnapshotSource implements BackupSource {
  readonly uri: string;
  private tree?: Promise<Map<string, SnapshotEntry>>;

  constructor(
    private readonly repo: Repository,
    private readonly snapshot: Snapshot,
  ) {
    this.uri = `snapshot:${snapshot.id}`;
  }

  async device(): Promise<SourceDevice> {
    return this.snapshot.device;
  }

  async *entries(): AsyncIterable<TreeEntry> {
    yield* (await this.load()).values();
  }

  async open(entry: TreeEntry): Promise<Readable> {
    const stored = (await this.load()).get(entryKey(entry));
    if (!stored) throw new Error(`${entry.domain}-${entry.relativePath} is not in ${this.uri}`);
    return Readable.from(snapshotContent(this.repo, stored));
  }

  missing(): MissingEntry[] {
    return [];
  }

  private load(): Promise<Map<string, SnapshotEntry>> {
    this.tree ??= loadTree(this.repo, this.snapshot).then(
      (entries) => new Map(entries.map((e) => [entryKey(e), e])),
    );
    return this.tree;
  }
}

/** Blobs read ahead of the one being written: reading overlaps decrypting and writing. */
const READ_AHEAD = 4;

/** A file's bytes as stored: its chunks in order; `onChunk` sees each as it arrives. */
export async function* snapshotContent(
  repo: Repository,
  entry: SnapshotEntry,
  onChunk?: (chunk: Buffer) => void,
): AsyncGenerator<Buffer> {
  const ids = entry.chunks ?? [];
  const loading: Promise<Buffer>[] = [];
  // A read that fails while waiting its turn is reported when its turn comes, not as unhandled.
  const load = (id: string) => {
    const p = repo.loadBlob(id);
    p.catch(() => undefined);
    return p;
  };
  try {
    for (let next = 0; next < ids.length || loading.length > 0; ) {
      while (next < ids.length && loading.length < READ_AHEAD) loading.push(load(ids[next++] as string));
      const chunk = await (loading.shift() as Promise<Buffer>);
      onChunk?.(chunk);
      yield chunk;
    }
  } finally {
    await Promise.allSettled(loading);
  }
}
