/**
 * `ios:DIR` as a restore target. Files are written to a staging folder inside DIR first, with
 * their modes and mtimes; commit() moves each into place with one rename, so every file appears
 * whole or not at all (the granularity is the file: a crash during commit leaves some files
 * restored, each complete). Nothing lands outside DIR: paths are checked, no symlink met on the
 * way is followed, and links that would point out of DIR are refused. The device's lockdown
 * secrets (Library/Lockdown, exclusions.ts) are never written: entries under it are skipped.
 */
import { createWriteStream } from "node:fs";
import { chmod, lstat, mkdir, mkdtemp, rename, rm, symlink, utimes } from "node:fs/promises";
import { join, posix } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { syncDirectory } from "../../adapters/shared/atomic-write.js";
import { homePathOf, UnsafePathError } from "../domains.js";
import { isDeviceSecret } from "../exclusions.js";
import type { RestoreTarget, SourceDevice, TreeEntry } from "../tree.js";

interface Staged {
  entry: TreeEntry;
  home: string;
  staged?: string;
}

export class IosTreeTarget implements RestoreTarget {
  readonly uri: string;
  /** Entries of domains a home tree has no place for (app containers...), and any under Library/Lockdown. */
  readonly skipped: TreeEntry[] = [];
  private staging: string | undefined;
  private readonly staged: Staged[] = [];
  private readonly links = new Set<string>();
  private readonly checkedDirs = new Set<string>();
  private counter = 0;

  constructor(private readonly dir: string) {
    this.uri = `ios:${dir}`;
  }

  async put(entry: TreeEntry, content?: Readable): Promise<void> {
    const home = homePathOf(entry.domain, entry.relativePath);
    // The device's lockdown secrets are its own: a backup that holds some (one made before they
    // were excluded, or a hostile one) does not replace them.
    if (home === undefined || home === "" || isDeviceSecret(home)) {
      if (home !== "") this.skipped.push(entry);
      content?.destroy();
      return;
    }
    const what = `${entry.domain}-${entry.relativePath}`;
    const parts = home.split("/");
    for (let i = 1; i < parts.length; i++)
      if (this.links.has(parts.slice(0, i).join("/")))
        throw new UnsafePathError(`${what}: a parent of this path is a symbolic link; refused`, {
          path: home,
        });
    if (entry.kind === "symlink") {
      const target = entry.linkTarget ?? "";
      const resolved = posix.normalize(posix.join(posix.dirname(home), target));
      if (posix.isAbsolute(target) || resolved === ".." || resolved.startsWith("../"))
        throw new UnsafePathError(`${what}: the link to "${target}" leads out of the target; refused`, {
          path: home,
          target,
        });
      this.links.add(home);
    }
    const item: Staged = { entry, home };
    if (entry.kind === "file") {
      if (!content) throw new Error(`${what}: a file needs content`);
      item.staged = join(await this.stagingDir(), String(this.counter++));
      await pipeline(content, createWriteStream(item.staged, { mode: 0o600 }));
      await chmod(item.staged, entry.mode & 0o7777);
      await utimes(item.staged, entry.mtime / 1000, entry.mtime / 1000);
    }
    this.staged.push(item);
  }

  async commit(_device: SourceDevice): Promise<void> {
    await this.stagingDir();
    const dirs = this.staged.filter((s) => s.entry.kind === "dir").sort((a, b) => (a.home < b.home ? -1 : 1));
    for (const d of dirs) await this.ensureDir(d.home);
    const touched = new Set<string>();
    for (const s of this.staged) {
      if (s.entry.kind === "dir") continue;
      const parent = posix.dirname(s.home);
      if (parent !== ".") await this.ensureDir(parent);
      const final = join(this.dir, s.home);
      if (s.staged) await rename(s.staged, final);
      else await this.replaceWithLink(final, s.entry.linkTarget ?? "");
      touched.add(parent === "." ? "" : parent);
    }
    for (const parent of touched) await syncDirectory(join(this.dir, parent));
    // Deepest first: setting a child's time after its parent's would change the parent's.
    for (const d of dirs.reverse()) {
      await chmod(join(this.dir, d.home), d.entry.mode & 0o7777);
      await utimes(join(this.dir, d.home), d.entry.mtime / 1000, d.entry.mtime / 1000);
    }
    await this.abort();
  }

  async abort(): Promise<void> {
    if (this.staging) await rm(this.staging, { recursive: true, force: true });
    this.staging = undefined;
  }

  /** A folder inside the target, so that moving a file into place is a rename on one file system. */
  private async stagingDir(): Promise<string> {
    if (!this.staging) {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      this.staging = await mkdtemp(join(this.dir, ".cradle-restore-"));
    }
    return this.staging;
  }

  /** mkdir -p inside the target, refusing any existing component that is not a real directory. */
  private async ensureDir(home: string): Promise<void> {
    const parts = home.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join("/");
      if (this.checkedDirs.has(rel)) continue;
      const full = join(this.dir, rel);
      const info = await lstat(full).catch(() => undefined);
      if (info && !info.isDirectory())
        throw new UnsafePathError(
          `${full} is ${info.isSymbolicLink() ? "a symbolic link" : "not a directory"}; restoring through it could write outside ${this.dir}. Restore into an empty folder.`,
          {
            path: full,
          },
        );
      if (!info) await mkdir(full, { mode: 0o700 });
      this.checkedDirs.add(rel);
    }
  }

  private async replaceWithLink(final: string, target: string): Promise<void> {
    const temp = join(await this.stagingDir(), String(this.counter++));
    await symlink(target, temp);
    await rename(temp, final);
  }
}
