/**
 * Applies a target tree to a folder library. Nothing is ever deleted: a file that leaves an
 * album and an album or folder that is deleted are moved into ROOT/.cradle-trash/<run>/, where a
 * user can take them back. New members are copied in (from this library when it holds the photo
 * elsewhere, else from another side's readable copy: the import step), each atomically.
 */
import { copyFile, mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import type { AlbumWrite, AlbumWriteResult, TargetNode } from "../../../core/albums.js";
import { syncDirectory, writeFileAtomic } from "../../shared/atomic-write.js";
import { uniqueName } from "./names.js";
import { ALBUM_SIDECAR, FOLDER_SIDECAR, isMediaName, type Sidecar } from "./scan.js";

/** Where files and albums that leave the library go; hidden, so the scan never sees it. */
const TRASH = ".cradle-trash";

export async function writeAlbumsDir(
  root: string,
  change: AlbumWrite,
  /** The side's node id → directory relative to root, as last read. */
  dirs: Map<string, string>,
  /** The side's asset id → file path, as last read. */
  files: Map<string, string>,
): Promise<AlbumWriteResult> {
  const result: AlbumWriteResult = { created: new Map(), failed: [] };
  const trash = join(root, TRASH, new Date().toISOString().replace(/[:.]/g, "-"));
  const ids = new Map(change.ids);
  const dirOf = (ref: string | null) => {
    if (ref === null) return "";
    const rel = dirs.get(ids.get(ref) ?? "");
    if (rel === undefined) throw new Error(`no directory for ${ref}`);
    return rel;
  };
  const toTrash = async (rel: string) => {
    const target = join(trash, rel);
    await mkdir(dirname(target), { recursive: true });
    await rename(join(root, rel), target);
  };

  for (const id of change.delete) {
    const rel = dirs.get(id);
    if (rel !== undefined && (await exists(join(root, rel)))) await toTrash(rel);
  }
  // Directories first, in order (a move changes the paths under it), then their contents.
  for (const node of change.put) {
    const parentRel = dirOf(node.parentRef);
    const rel = node.id === undefined ? undefined : dirs.get(node.id);
    if (rel === undefined) {
      const created = join(parentRel, await freeName(join(root, parentRel), node.title));
      await mkdir(join(root, created));
      const id = node.ref;
      ids.set(node.ref, id);
      dirs.set(id, created);
      result.created.set(node.ref, id);
    } else {
      const sameParent = parentOf(rel) === parentRel;
      const name = await freeName(join(root, parentRel), node.title, sameParent ? basename(rel) : undefined);
      if (!sameParent || name !== basename(rel)) {
        const moved = join(parentRel, name);
        await rename(join(root, rel), join(root, moved));
        renamed(dirs, files, root, rel, moved);
      }
    }
  }
  // Each directory's files are its own, so several are filled at once: most of the time is fsync.
  // A batch settles whole before a failure is thrown, so nothing is written after it.
  const fill = async (node: TargetNode) => {
    const rel = dirs.get(ids.get(node.ref) ?? "") as string;
    const sidecar: Sidecar = { id: node.ref, title: node.title, name: basename(rel) };
    if (node.kind === "album")
      Object.assign(sidecar, await writeMembers(root, rel, node, files, toTrash, result));
    await writeFileAtomic(
      join(root, rel, node.kind === "album" ? ALBUM_SIDECAR : FOLDER_SIDECAR),
      JSON.stringify(sidecar),
    );
    await syncDirectory(join(root, rel));
  };
  for (let i = 0; i < change.put.length; i += DIRECTORIES_AT_ONCE) {
    const settled = await Promise.allSettled(change.put.slice(i, i + DIRECTORIES_AT_ONCE).map(fill));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  }
  await syncDirectory(root);
  return result;
}

const DIRECTORIES_AT_ONCE = 8;

function parentOf(rel: string): string {
  const parent = dirname(rel);
  return parent === "." ? "" : parent;
}

/** After a directory moved, the ids of everything under it point to the new place. */
function renamed(
  dirs: Map<string, string>,
  files: Map<string, string>,
  root: string,
  from: string,
  to: string,
): void {
  for (const [k, v] of dirs)
    if (v === from || v.startsWith(`${from}/`)) dirs.set(k, to + v.slice(from.length));
  const abs = join(root, from);
  for (const [k, v] of files) if (v.startsWith(`${abs}/`)) files.set(k, join(root, to) + v.slice(abs.length));
}

async function writeMembers(
  root: string,
  rel: string,
  node: TargetNode,
  files: Map<string, string>,
  toTrash: (rel: string) => Promise<void>,
  result: AlbumWriteResult,
): Promise<Pick<Sidecar, "order" | "key">> {
  const dir = join(root, rel);
  const present = new Set((await readdir(dir)).filter(isMediaName));
  const order: string[] = [];
  let key: string | undefined;
  for (const member of node.members) {
    const local = member.assetId === undefined ? undefined : files.get(member.assetId);
    let name = local !== undefined && dirname(local) === dir ? basename(local) : undefined;
    if (name === undefined || order.includes(name)) {
      const from = [local, member.source].filter((p): p is string => p !== undefined);
      name = await importCopy(dir, member.name, from, (n) => present.has(n) || order.includes(n));
      if (name === undefined) {
        result.failed.push({
          where: `${dir}/${member.name}`,
          reason:
            "no side has a readable copy of this photo; it stays in the album and is copied when one appears",
        });
        continue;
      }
    }
    order.push(name);
    if (member.fingerprint === node.keyFingerprint) key = name;
  }
  const kept = new Set(order);
  for (const name of present) if (!kept.has(name)) await toTrash(join(rel, name));
  return key === undefined ? { order } : { order, key };
}

/** Copies the first readable source into dir under a free name; undefined when none can be read. */
async function importCopy(
  dir: string,
  wanted: string,
  sources: string[],
  taken: (name: string) => boolean,
): Promise<string | undefined> {
  const ext = extname(wanted);
  const name = uniqueName(basename(wanted, ext), (n) => taken(n + ext)) + ext;
  const temp = join(dir, `.${name}.${process.pid}.cradle-tmp`);
  for (const source of sources) {
    try {
      await copyFile(source, temp);
      const handle = await open(temp, "r+");
      await handle.sync();
      await handle.close();
      await rename(temp, join(dir, name));
      return name;
    } catch {
      await unlink(temp).catch(() => undefined);
    }
  }
  return undefined;
}

/** A free name for title among parent's entries; `own` is the directory's current name, which it may keep. */
async function freeName(parent: string, title: string, own?: string): Promise<string> {
  const names = new Set(await readdir(parent).catch(() => [] as string[]));
  return uniqueName(title, (n) => n !== own && names.has(n));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
