/**
 * Streams one pack to a temporary file as blobs arrive, so a 16 MiB pack is never held or copied
 * in memory; finish() appends the header, flushes, and renames the file to its content hash
 * (then flushes the directory): the pack appears whole or not at all.
 */
import { createHash, type Hash } from "node:crypto";
import { type FileHandle, mkdir, open, rename, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { syncDirectory } from "../../adapters/shared/atomic-write.js";
import { encodePackHeader, type PackedBlob } from "./pack.js";

let counter = 0;
const MAX_INFLIGHT = 4;

export class PackWriter {
  readonly blobs: PackedBlob[] = [];
  size = 0;
  private readonly hash: Hash = createHash("sha256");
  /** Writes in flight: positional, so their order does not matter; a few overlap reading and hashing. */
  private readonly inflight: Promise<unknown>[] = [];

  private constructor(
    private readonly handle: FileHandle,
    private readonly temp: string,
  ) {}

  /** A temporary pack in `dir`, named so that isTemporary() recognises it. */
  static async start(dir: string): Promise<PackWriter> {
    const temp = join(dir, `.pack-${process.pid}-${counter++}.cradle-tmp`);
    return new PackWriter(await open(temp, "wx", 0o600), temp);
  }

  /** Appends one stored blob, given in pieces (one writev). */
  async add(blob: Omit<PackedBlob, "offset" | "length">, stored: Buffer[]): Promise<void> {
    let length = 0;
    for (const part of stored) {
      this.hash.update(part);
      length += part.length;
    }
    this.inflight.push(this.handle.writev(stored, this.size));
    this.blobs.push({ ...blob, offset: this.size, length });
    this.size += length;
    if (this.inflight.length >= MAX_INFLIGHT) await this.inflight.shift();
  }

  /** Writes the header and moves the pack into place; returns its id (SHA-256 of its bytes). */
  async finish(key: Buffer | undefined, pathOf: (id: string) => string): Promise<string> {
    const header = encodePackHeader(this.blobs, key);
    await Promise.all(this.inflight.splice(0));
    await this.handle.write(header, 0, header.length, this.size);
    this.hash.update(header);
    await this.handle.sync();
    await this.handle.close();
    const id = this.hash.digest("hex");
    const path = pathOf(id);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await rename(this.temp, path);
    await syncDirectory(dirname(path));
    return id;
  }

  /** Removes the temporary file after a failure. */
  async abort(): Promise<void> {
    await Promise.allSettled(this.inflight.splice(0));
    await this.handle.close().catch(() => undefined);
    await unlink(this.temp).catch(() => undefined);
  }
}
