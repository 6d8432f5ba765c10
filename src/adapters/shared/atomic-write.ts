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
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${tempCounter++}.cradle-tmp`);
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

/** Flushes a directory entry list, so renames in it survive a power cut. */
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
