import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { syncDirectory, writeFileAtomic } from "./atomic-write.js";

/**
 * A vdir (https://vdirsyncer.pimutils.org/en/stable/vdir.html): one item per file, the layout
 * vdirsyncer, khard and khal share. The store knows files, names and tokens, not formats.
 */
export class VdirStore {
  constructor(
    readonly dir: string,
    readonly extension: string,
  ) {}

  /** Every item file with its change token: mtime in ns, size and inode, as cheap as a stat. */
  async list(): Promise<{ id: string; token: string }[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const items = names.filter((n) => n.endsWith(this.extension) && !n.startsWith("."));
    return Promise.all(items.map(async (id) => ({ id, token: await this.token(id) })));
  }

  async token(id: string): Promise<string> {
    const s = await stat(join(this.dir, id), { bigint: true });
    return `${s.mtimeNs}-${s.size}-${s.ino}`;
  }

  async modified(id: string): Promise<number> {
    return (await stat(join(this.dir, id))).mtimeMs;
  }

  path(id: string): string {
    return join(this.dir, id);
  }

  read(id: string): Promise<string> {
    return readFile(join(this.dir, id), "utf8");
  }

  async write(id: string, text: string): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(join(this.dir, id), text);
    return this.token(id);
  }

  async remove(id: string): Promise<void> {
    await unlink(join(this.dir, id));
  }

  async flush(): Promise<void> {
    await syncDirectory(this.dir).catch(() => undefined);
  }

  /**
   * A file name for a new item, from its UID made safe for any file system. Names that would
   * clash with an existing file, or UIDs that are not safe, get a short hash instead.
   */
  newId(uid: string, taken: Set<string>): string {
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
