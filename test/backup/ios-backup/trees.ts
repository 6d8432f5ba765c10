/**
 * Test helpers: entries as object literals (and an iOS home tree read as entries), exported
 * through a RestoreTarget and read back from a BackupSource, content included.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { domainOfHomePath } from "../../../src/backup/domains.js";
import type { BackupSource, RestoreTarget, SourceDevice, TreeEntry } from "../../../src/backup/tree.js";

export interface Item {
  entry: TreeEntry;
  content?: Buffer;
}

export const DEVICE: SourceDevice = {
  udid: "00008110-001A2B3C4D5E6F70",
  name: "Test iPhone",
  productType: "iPhone15,2",
  productVersion: "18.1",
  buildVersion: "22B83",
  serialNumber: "F2LXK0ABCDEF",
};

const MTIME = Date.UTC(2024, 10, 5, 10, 0, 0);

export const file = (domain: string, relativePath: string, content: Buffer | string, mtime = MTIME): Item => {
  const bytes = Buffer.from(content);
  return {
    entry: { domain, relativePath, kind: "file", mode: 0o644, mtime, size: bytes.length },
    content: bytes,
  };
};
export const dir = (domain: string, relativePath: string): Item => ({
  entry: { domain, relativePath, kind: "dir", mode: 0o755, mtime: MTIME, size: 0 },
});
export const link = (domain: string, relativePath: string, target: string): Item => ({
  entry: {
    domain,
    relativePath,
    kind: "symlink",
    mode: 0o755,
    mtime: MTIME,
    size: Buffer.byteLength(target),
    linkTarget: target,
  },
});

export async function exportItems(target: RestoreTarget, items: Item[], device = DEVICE): Promise<void> {
  try {
    for (const { entry, content } of items)
      await target.put(entry, content ? Readable.from([content]) : undefined);
    await target.commit(device);
  } catch (error) {
    await target.abort();
    throw error;
  }
}

export async function readItems(source: BackupSource): Promise<Item[]> {
  const items: Item[] = [];
  for await (const entry of source.entries()) {
    if (entry.kind !== "file") {
      items.push({ entry });
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of await source.open(entry)) chunks.push(chunk as Buffer);
    items.push({ entry, content: Buffer.concat(chunks) });
  }
  return items;
}

/** The order a backup lists entries in: by domain, then path. */
export const sorted = (items: Item[]): Item[] =>
  [...items].sort(
    (a, b) => cmp(a.entry.domain, b.entry.domain) || cmp(a.entry.relativePath, b.entry.relativePath),
  );
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** An iOS home tree as entries (mtimes to the second, as a backup keeps them). */
export function homeItems(home: string, prefix = ""): Item[] {
  const items: Item[] = [];
  for (const name of readdirSync(join(home, prefix)).sort()) {
    const relativePath = prefix === "" ? name : `${prefix}/${name}`;
    const path = join(home, relativePath);
    const stat = lstatSync(path);
    const domain = domainOfHomePath(relativePath);
    const mtime = Math.floor(stat.mtimeMs / 1000) * 1000;
    if (stat.isDirectory()) {
      items.push({ entry: { ...dir(domain, relativePath).entry, mtime } });
      items.push(...homeItems(home, relativePath));
    } else if (stat.isSymbolicLink()) items.push(link(domain, relativePath, readlinkSync(path)));
    else items.push(file(domain, relativePath, readFileSync(path), mtime));
  }
  return items;
}
