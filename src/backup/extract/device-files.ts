/**
 * What extract reads from: a device's files by (domain, relativePath), whichever way they are
 * stored. One shape over a home tree (ios:DIR) and over any BackupSource (a Finder backup
 * folder now; a repository snapshot once it implements BackupSource).
 */
import { createReadStream, lstatSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { domainOfHomePath, homePathOf } from "../domains.js";
import type { BackupSource, TreeEntry } from "../tree.js";

export interface DeviceFiles {
  /** "ios:/path", "backup:/path": for messages. */
  readonly uri: string;
  /** The file entry at a device path, or undefined when there is none. */
  find(domain: string, relativePath: string): Promise<TreeEntry | undefined>;
  /** Every file entry of a domain whose path starts with `prefix/`. */
  list(domain: string, prefix: string): Promise<TreeEntry[]>;
  open(entry: TreeEntry): Promise<Readable>;
}

const key = (domain: string, relativePath: string) => `${domain}\0${relativePath}`;
const under = (path: string, prefix: string) => path.startsWith(`${prefix}/`);

/** A BackupSource's files; its listing is read once, on first use. */
export function sourceFiles(source: BackupSource): DeviceFiles {
  let index: Promise<Map<string, TreeEntry>> | undefined;
  const entries = () => {
    index ??= (async () => {
      const map = new Map<string, TreeEntry>();
      for await (const entry of source.entries())
        if (entry.kind === "file") map.set(key(entry.domain, entry.relativePath), entry);
      return map;
    })();
    return index;
  };
  return {
    uri: source.uri,
    find: async (domain, relativePath) => (await entries()).get(key(domain, relativePath)),
    list: async (domain, prefix) =>
      [...(await entries()).values()].filter((e) => e.domain === domain && under(e.relativePath, prefix)),
    open: (entry) => source.open(entry),
  };
}

/** An iOS home tree laid out like /var/mobile; symlinks are never followed. */
export function homeTreeFiles(dirArg: string): DeviceFiles {
  const dir = resolve(dirArg);
  const entryAt = (domain: string, relativePath: string): TreeEntry | undefined => {
    const homePath = homePathOf(domain, relativePath);
    if (homePath === undefined || domainOfHomePath(homePath) !== domain) return undefined;
    const stat = lstatSync(join(dir, ...homePath.split("/")), { throwIfNoEntry: false });
    if (!stat?.isFile()) return undefined;
    return {
      domain,
      relativePath,
      kind: "file",
      mode: stat.mode & 0o7777,
      mtime: stat.mtimeMs,
      size: stat.size,
    };
  };
  const walk = (domain: string, relativePath: string, out: TreeEntry[]) => {
    const stat = lstatSync(join(dir, ...relativePath.split("/")), { throwIfNoEntry: false });
    if (stat?.isDirectory())
      for (const name of readdirSync(join(dir, ...relativePath.split("/"))).sort())
        walk(domain, `${relativePath}/${name}`, out);
    else if (stat?.isFile()) out.push(entryAt(domain, relativePath) as TreeEntry);
  };
  return {
    uri: `ios:${dir}`,
    find: async (domain, relativePath) => entryAt(domain, relativePath),
    list: async (domain, prefix) => {
      const out: TreeEntry[] = [];
      if (homePathOf(domain, prefix) !== undefined) walk(domain, prefix, out);
      return out.filter((entry) => entry.domain === domain);
    },
    open: async (entry) => createReadStream(join(dir, ...entry.relativePath.split("/"))),
  };
}
