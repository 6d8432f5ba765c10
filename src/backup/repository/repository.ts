/**
 * A content-addressed repository: blobs (file chunks and trees) named by the SHA-256 of their
 * plaintext, packed many to a file, found through the index; snapshots name a tree blob.
 *
 * Write order (each write atomic: temp, fsync, rename, fsync of the directory):
 *   1. packs, as they fill;  2. one index file for this run's packs;  3. the snapshot.
 * A crash after 1 leaves packs no index names: the next writer reads their headers and indexes
 * them again (reindexOrphans), so nothing they hold is stored twice. A crash after 2 leaves
 * indexed blobs no snapshot uses: the next backup dedups against them; prune removes what no
 * snapshot ever uses. The last good snapshot is never touched.
 */
import { createHash } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, readFile, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { syncDirectory, writeFileAtomic } from "../../adapters/shared/atomic-write.js";
import { decodeJson, decodeObject, encodeBlob, encodeJson } from "./codec.js";
import { newConfig, parseConfig, type RepoConfig, unlockConfig } from "./config.js";
import { RepositoryCorruptError, RepositoryFullError, RepositoryMissingError } from "./errors.js";
import { type BlobLocation, type IndexFileBody, indexBody, mergeIndexBody } from "./index-file.js";
import { isTemporary, type RepoPaths, repoPaths } from "./layout.js";
import { decodePackHeader, PACK_TAIL_GUESS, type PackedBlob } from "./pack.js";
import { PackWriter } from "./pack-writer.js";

export type WriteStep = "pack" | "index" | "snapshot";

export interface RepositoryOptions {
  root: string;
  password?: string;
  /** Target pack size in bytes (default 16 MiB, restic's default). */
  packSize?: number;
  /** Test hook, called before each commit step; throwing from it simulates a crash there. */
  beforeWrite?: (step: WriteStep, count: number) => void;
}

const OPEN_PACKS = 16;

export const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

export class Repository {
  readonly paths: RepoPaths;
  readonly index = new Map<string, BlobLocation>();
  /** Index files read at open, and the packs each names. */
  readonly indexFiles = new Map<string, string[]>();
  private pack: PackWriter | undefined;
  private saving: Promise<void> = Promise.resolve();
  private readonly handles = new Map<string, Promise<FileHandle>>();
  private pendingIds = new Set<string>();
  /** Packs written by this run and not yet in an index file. */
  private unindexed = new Map<string, PackedBlob[]>();
  private writes = { pack: 0, index: 0, snapshot: 0 };

  private constructor(
    readonly root: string,
    readonly config: RepoConfig,
    private readonly key: Buffer | undefined,
    private readonly options: RepositoryOptions,
  ) {
    this.paths = repoPaths(root);
  }

  get encrypted(): boolean {
    return this.key !== undefined;
  }

  /** Makes a new repository at options.root (which must not hold one) and opens it. */
  static async create(options: RepositoryOptions): Promise<Repository> {
    const paths = repoPaths(options.root);
    if (await exists(paths.config))
      throw new RepositoryCorruptError(`${options.root} already holds a repository; open it instead.`, {
        repo: options.root,
      });
    for (const dir of [options.root, paths.data, paths.index, paths.snapshots, paths.locks])
      await mkdir(dir, { recursive: true, mode: 0o700 });
    const { config, key } = newConfig(options.password);
    await writeFileAtomic(paths.config, JSON.stringify(config, null, 2), 0o600);
    await syncDirectory(options.root);
    return new Repository(options.root, config, key, options);
  }

  static async open(options: RepositoryOptions): Promise<Repository> {
    const paths = repoPaths(options.root);
    const text = await readFile(paths.config, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT")
        throw new RepositoryMissingError(
          `No repository at ${options.root}. "cradle backup SOURCE --repo ${options.root}" creates one.`,
          {
            repo: options.root,
          },
        );
      throw error;
    });
    const config = parseConfig(text, paths.config);
    const repo = new Repository(
      options.root,
      config,
      unlockConfig(config, options.root, options.password),
      options,
    );
    await repo.loadIndex();
    return repo;
  }

  static async exists(root: string): Promise<boolean> {
    return exists(repoPaths(root).config);
  }

  has(id: string): boolean {
    return this.index.has(id) || this.pendingIds.has(id);
  }

  /**
   * Stores a blob unless one with the same content exists. Returns the stored size (0 when
   * deduplicated). Concurrent callers share one pack: appends are serialized, in call order.
   */
  async saveBlob(
    data: Uint8Array,
    compress: boolean,
    id = sha256(data),
  ): Promise<{ id: string; stored: number }> {
    if (this.has(id)) return { id, stored: 0 };
    this.pendingIds.add(id);
    const append = this.saving.then(() =>
      this.append(id, data.length, compress, encodeBlob(data, compress, this.key)),
    );
    this.saving = append.then(
      () => undefined,
      () => undefined,
    );
    return { id, stored: await append };
  }

  private async append(
    id: string,
    rawLength: number,
    compressed: boolean,
    stored: Buffer[],
  ): Promise<number> {
    let length = 0;
    for (const part of stored) length += part.length;
    await this.guard("pack", async () => {
      this.pack ??= await PackWriter.start(this.paths.data);
      this.pack.add({ id, rawLength, compressed }, stored);
    });
    if (this.pack && this.pack.size >= (this.options.packSize ?? 16 * 1024 * 1024)) await this.writePack();
    return length;
  }

  async loadBlob(id: string): Promise<Buffer> {
    const at = this.index.get(id);
    if (!at)
      throw new RepositoryCorruptError(`Blob ${id} is in no index of ${this.root}; run "cradle verify".`, {
        blob: id,
      });
    return this.loadBlobAt(id, at);
  }

  /** Reads a blob from a known place, checking it against its id. */
  async loadBlobAt(id: string, at: BlobLocation): Promise<Buffer> {
    let stored: Buffer;
    try {
      const handle = await this.packHandle(at.pack);
      stored = Buffer.allocUnsafe(at.length);
      const { bytesRead } = await handle.read(stored, 0, at.length, at.offset);
      if (bytesRead !== at.length) throw new Error(`pack ${at.pack} is shorter than its index says`);
    } catch (error) {
      throw this.unreadable(id, at, error);
    }
    return this.openBlob(id, at, stored);
  }

  /** A blob cut from its whole pack's bytes (verify reads packs whole), checked against its id. */
  blobInPack(id: string, at: BlobLocation, pack: Buffer): Buffer {
    if (at.offset + at.length > pack.length)
      throw this.unreadable(id, at, new Error(`pack ${at.pack} is shorter than its index says`));
    return this.openBlob(id, at, pack.subarray(at.offset, at.offset + at.length));
  }

  private openBlob(id: string, at: BlobLocation, stored: Buffer): Buffer {
    try {
      const plain = decodeObject(stored, at.compressed, this.key);
      if (plain.length !== at.rawLength || sha256(plain) !== id)
        throw new Error("content does not match its id");
      return plain;
    } catch (error) {
      throw this.unreadable(id, at, error);
    }
  }

  private unreadable(id: string, at: BlobLocation, error: unknown): RepositoryCorruptError {
    return new RepositoryCorruptError(
      `Blob ${id} in pack ${at.pack} cannot be read: ${(error as Error).message}.`,
      { blob: id, pack: at.pack },
    );
  }

  /** An open pack, kept among the last few used: a restore reads many blobs from each pack. */
  private async packHandle(pack: string): Promise<FileHandle> {
    const cached = this.handles.get(pack);
    if (cached) {
      this.handles.delete(pack);
      this.handles.set(pack, cached);
      return cached;
    }
    const opened = open(this.paths.pack(pack), "r");
    this.handles.set(pack, opened);
    if (this.handles.size > OPEN_PACKS) {
      const [oldest, handle] = this.handles.entries().next().value as [string, Promise<FileHandle>];
      this.handles.delete(oldest);
      // Reads already started on it finish first: close only after they had their turn.
      setTimeout(() => handle.then((h) => h.close()).catch(() => undefined), 1000).unref();
    }
    return opened;
  }

  /** Closes the packs kept open for reading. */
  async close(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    for (const handle of handles) await handle.then((h) => h.close()).catch(() => undefined);
  }

  /** Writes the pending pack and an index file for every pack this run wrote. */
  async flush(): Promise<void> {
    await this.saving;
    if (this.pack) await this.writePack();
    if (this.unindexed.size === 0) return;
    const id = await this.writeObject("index", encodeJson(indexBody(this.unindexed), this.key), (i) =>
      this.paths.indexFile(i),
    );
    this.indexFiles.set(id, [...this.unindexed.keys()]);
    this.unindexed.clear();
  }

  /**
   * Writes a whole new index for `packs`, and for the packs this run wrote (prune's copies), and
   * removes the index files it replaces.
   */
  async rewriteIndex(packs: Map<string, PackedBlob[]>, replaced: string[]): Promise<void> {
    // Added to, not replaced: packs that filled while prune copied blobs are already in it.
    for (const [id, blobs] of packs) this.unindexed.set(id, blobs);
    await this.flush();
    for (const id of replaced) {
      await unlink(this.paths.indexFile(id));
      this.indexFiles.delete(id);
    }
    await syncDirectory(this.paths.index);
  }

  async saveSnapshotJson(value: unknown): Promise<string> {
    return this.writeObject("snapshot", encodeJson(value, this.key), (id) => this.paths.snapshotFile(id));
  }

  async snapshotIds(): Promise<string[]> {
    return (await readdir(this.paths.snapshots)).filter((name) => !isTemporary(name));
  }

  async loadSnapshotJson<T>(id: string): Promise<T> {
    const file = this.paths.snapshotFile(id);
    try {
      return decodeJson<T>(await readFile(file), this.key);
    } catch (error) {
      throw new RepositoryCorruptError(
        `The snapshot file ${file} cannot be read: ${(error as Error).message}.`,
        { file },
      );
    }
  }

  async removeSnapshot(id: string): Promise<void> {
    await unlink(this.paths.snapshotFile(id));
    await syncDirectory(this.paths.snapshots);
  }

  /** Every pack file present, by id. */
  async packFiles(): Promise<string[]> {
    const ids: string[] = [];
    for (const dir of await this.packDirs()) {
      for (const name of await readdir(`${this.paths.data}/${dir}`)) if (!isTemporary(name)) ids.push(name);
    }
    return ids;
  }

  async readPack(id: string): Promise<Buffer> {
    return readFile(this.paths.pack(id));
  }

  /** The blobs a pack holds, from its own header. */
  async readPackHeader(id: string): Promise<PackedBlob[]> {
    const file = this.paths.pack(id);
    const { size } = await stat(file);
    const handle = await open(file, "r");
    try {
      let tailLength = Math.min(size, PACK_TAIL_GUESS);
      let tail = Buffer.alloc(tailLength);
      await handle.read(tail, 0, tailLength, size - tailLength);
      const headerLength = tail.readUInt32LE(tailLength - 4);
      if (headerLength + 4 > tailLength && headerLength + 4 <= size) {
        tailLength = headerLength + 4;
        tail = Buffer.alloc(tailLength);
        await handle.read(tail, 0, tailLength, size - tailLength);
      }
      return decodePackHeader(tail, size, this.key);
    } catch (error) {
      throw new RepositoryCorruptError(`The pack ${file} cannot be read: ${(error as Error).message}.`, {
        pack: id,
      });
    } finally {
      await handle.close();
    }
  }

  async removePack(id: string): Promise<void> {
    await unlink(this.paths.pack(id));
  }

  /**
   * Indexes packs that a crashed run wrote but never indexed, from their own headers, and removes
   * temporaries it left. Call with the writer lock held. Returns the packs indexed.
   */
  async reindexOrphans(): Promise<string[]> {
    const known = new Set([...this.index.values()].map((at) => at.pack));
    const orphans = (await this.packFiles()).filter((id) => !known.has(id));
    for (const id of orphans) {
      const blobs = await this.readPackHeader(id).catch(() => undefined);
      if (!blobs) continue; // unreadable: verify reports it, prune removes it
      this.unindexed.set(id, blobs);
      for (const blob of blobs) if (!this.index.has(blob.id)) this.index.set(blob.id, { pack: id, ...blob });
    }
    await this.removeTemporaries();
    if (this.unindexed.size > 0) await this.flush();
    return orphans;
  }

  /** data/xx folders (data/ itself also holds packs being written). */
  private async packDirs(): Promise<string[]> {
    return (await readdir(this.paths.data)).filter((name) => !isTemporary(name));
  }

  private async removeTemporaries(): Promise<void> {
    const dirs = [
      this.paths.index,
      this.paths.snapshots,
      ...(await this.packDirs()).map((d) => `${this.paths.data}/${d}`),
    ];
    for (const dir of dirs)
      for (const name of await readdir(dir))
        if (isTemporary(name)) await unlink(`${dir}/${name}`).catch(() => undefined);
  }

  private async loadIndex(): Promise<void> {
    for (const id of await readdir(this.paths.index)) {
      if (isTemporary(id)) continue;
      const file = this.paths.indexFile(id);
      let body: IndexFileBody;
      try {
        body = decodeJson<IndexFileBody>(await readFile(file), this.key);
      } catch (error) {
        throw new RepositoryCorruptError(
          `The index file ${file} cannot be read: ${(error as Error).message}.`,
          { file },
        );
      }
      this.indexFiles.set(id, mergeIndexBody(this.index, body));
    }
  }

  private async writePack(): Promise<void> {
    const pack = this.pack as PackWriter;
    this.pack = undefined;
    this.writes.pack++;
    const id = await this.guard("pack", async () => {
      this.options.beforeWrite?.("pack", this.writes.pack);
      return pack.finish(this.key, (i) => this.paths.pack(i));
    }).catch(async (error: unknown) => {
      await pack.abort();
      throw error;
    });
    for (const blob of pack.blobs) {
      this.index.set(blob.id, { pack: id, ...blob });
      this.pendingIds.delete(blob.id);
    }
    this.unindexed.set(id, pack.blobs);
  }

  /** Writes content under its hash, atomically. */
  private async writeObject(step: WriteStep, bytes: Buffer, pathOf: (id: string) => string): Promise<string> {
    this.writes[step]++;
    const id = sha256(bytes);
    const path = pathOf(id);
    await this.guard(step, async () => {
      this.options.beforeWrite?.(step, this.writes[step]);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFileAtomic(path, bytes, 0o600);
      await syncDirectory(dirname(path));
    });
    return id;
  }

  /** Turns a full disk into RepositoryFullError, which says that what was committed is intact. */
  private async guard<T>(step: WriteStep, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOSPC")
        throw new RepositoryFullError(
          `The disk holding ${this.root} is full (writing ${step}). The repository is valid and holds every earlier snapshot; free space and run the backup again: it reuses what was stored.`,
          { repo: this.root, step },
        );
      throw error;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
