import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { syncDirectory, writeFileAtomic } from "./atomic-write.js";

/** Files written at once: enough to keep the disk and libuv's thread pool busy. */
const WRITE_CONCURRENCY = 16;

/**
 * A vdir (https://vdirsyncer.pimutils.org/en/stable/vdir.html): one item per file, the layout
 * vdirsyncer, khard and khal share. The store knows files, names and tokens, not formats.
 */
export class VdirStore {
  constructor(
    readonly dir: string,
    readonly extension: string,
  ) {}

  /**
   * Every item file with its change token: mtime (to the microsecond), size and inode.
   * Synchronous stats in a loop beat ten thousand concurrent promises, in time and in memory.
   */
  list(): { id: string; token: string }[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const listed: { id: string; token: string }[] = [];
    for (const id of names) {
      if (!id.endsWith(this.extension) || id.startsWith(".")) continue;
      // Not path.join: normalising twenty thousand paths costs more than the stats' JS side.
      const s = statSync(`${this.dir}/${id}`, { throwIfNoEntry: false });
      if (!s?.isFile()) continue;
      listed.push({ id, token: tokenOfStats(s) });
    }
    return listed;
  }

  /** When an item last changed (ms since the epoch), from a token list() or writeMany() gave. */
  static modifiedAt(token: string): number {
    return Number.parseFloat(token);
  }

  path(id: string): string {
    return join(this.dir, id);
  }

  /** Synchronous: parsing is the bottleneck, and a thread-pool round trip per file only adds to it. */
  read(id: string): string {
    return readFileSync(join(this.dir, id), "utf8");
  }

  /**
   * Writes items, several at a time, each atomically; returns each one's new token or error, in
   * the order given. The directory is flushed once at the end, so the renames are durable.
   */
  async writeMany(
    items: { id: string; text: () => string }[],
  ): Promise<({ token: string } | { error: string })[]> {
    mkdirSync(this.dir, { recursive: true });
    const results: ({ token: string } | { error: string })[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const index = next++;
        const item = items[index] as { id: string; text: () => string };
        try {
          const path = join(this.dir, item.id);
          await writeFileAtomic(path, item.text());
          results[index] = { token: await tokenOf(path) };
        } catch (error) {
          results[index] = { error: (error as Error).message };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, items.length) }, worker));
    await syncDirectory(this.dir).catch(() => undefined);
    return results;
  }

  async remove(id: string): Promise<void> {
    await unlink(join(this.dir, id));
  }

  /**
   * A file name for a new item, from its UID made safe for any file system. Names that would
   * clash with an existing file, or UIDs that are not safe, get a short hash instead.
   */
  newId(uid: string, taken: { has(id: string): boolean }): string {
    const safe = uid
      .replace(/[^A-Za-z0-9._@+-]/g, "_")
      .replace(/^\.+/, "_")
      .slice(0, 120);
    const hash = createHash("sha256").update(uid).digest("hex").slice(0, 12);
    const candidates = [safe && safe === uid ? safe : "", `${safe || "item"}-${hash}`];
    for (const stem of candidates) {
      if (!stem) continue;
      const id = `${stem}${this.extension}`;
      if (!taken.has(id)) return id;
    }
    for (let n = 2; ; n++) {
      const id = `${safe || "item"}-${hash}-${n}${this.extension}`;
      if (!taken.has(id)) return id;
    }
  }
}

async function tokenOf(path: string): Promise<string> {
  return tokenOfStats(await stat(path));
}

/** The change token: mtime (to the microsecond) first, so modifiedAt() can read it back. */
function tokenOfStats(s: { mtimeMs: number; size: number; ino: number }): string {
  return `${s.mtimeMs}-${s.size}-${s.ino}`;
}
