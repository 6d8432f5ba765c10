import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

let tempCounter = 0;

/**
 * Writes a file so that a crash leaves either the old content or the new, never half of it:
 * write a temporary file beside it, flush it to disk, then rename it over the target.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const temp = tempPathBeside(path);
  const handle = await open(temp, "wx", mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${tempCounter++}.cradle-tmp`);
}

/** A file written piece by piece (a download) that appears at `path` only once committed. */
export interface AtomicFile {
  write(chunk: Uint8Array): Promise<void>;
  /** Flushes to disk and renames over `path`. */
  commit(): Promise<void>;
  /** Removes the temporary file; `path` is untouched. */
  discard(): Promise<void>;
}

/**
 * `flush: false` skips the fsync at commit, for a caller that flushes many files at once later
 * (and shows none of them before that).
 */
export async function createAtomicFile(path: string, mode = 0o644, flush = true): Promise<AtomicFile> {
  const temp = tempPathBeside(path);
  const handle = await open(temp, "wx", mode);
  let closed = false;
  const close = async () => {
    if (!closed) await handle.close();
    closed = true;
  };
  return {
    async write(chunk) {
      await handle.write(chunk);
    },
    async commit() {
      try {
        if (flush) await handle.sync();
        await close();
        await rename(temp, path);
      } catch (error) {
        await close();
        await unlink(temp).catch(() => undefined);
        throw error;
      }
    },
    async discard() {
      await close();
      await unlink(temp).catch(() => undefined);
    },
  };
}

/** Flushes files and their folders to disk, sixteen at a time (the file system batches them). */
export async function syncFiles(paths: string[]): Promise<void> {
  const pending = [...paths, ...new Set(paths.map((path) => dirname(path)))];
  const worker = async () => {
    for (let path = pending.pop(); path !== undefined; path = pending.pop()) await syncDirectory(path);
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** Flushes a directory entry list, so renames in it survive a power cut (or a file's content). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Streams into a file that must not exist yet, through optional transforms, and flushes it to
 * disk before returning. A FileHandle write stream with autoClose off never lets sync() settle,
 * so the sink is a plain Writable over the handle.
 */
export async function writeStreamToNewFile(
  path: string,
  stages: (NodeJS.ReadableStream | NodeJS.ReadWriteStream)[],
  mode = 0o600,
): Promise<void> {
  const handle = await open(path, "wx", mode);
  try {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        handle.write(chunk).then(() => done(), done);
      },
    });
    await pipeline([...stages, sink]);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Like writeFileAtomic, for content that arrives as a stream (a photo, a video). */
export async function writeStreamAtomic(
  path: string,
  stages: NodeJS.ReadableStream[],
  mode = 0o644,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${tempCounter++}.cradle-tmp`);
  try {
    await writeStreamToNewFile(temp, stages, mode);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
