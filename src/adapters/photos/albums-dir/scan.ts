/**
 * Reads a folder library: every directory under the root is an album or a folder. A directory
 * is an album when its sidecar says so, or when it holds media files or no directories at all;
 * otherwise it is a folder. Members are the media files in an album directory (symbolic links
 * count as their target), in the sidecar's order, then new files by name. Hidden entries
 * (".name") are never media: the sidecars, other tools' caches, Cradle's trash.
 */
import { type Dirent, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import type { AlbumNode, PhotoAsset, PhotoLibrary } from "../../../core/albums.js";
import { unescapeTitle } from "./names.js";

export const ALBUM_SIDECAR = ".cradle-album.json";
export const FOLDER_SIDECAR = ".cradle-folder.json";

/** What Cradle keeps beside an album or folder; other tools ignore dot files. */
export interface Sidecar {
  /** The sync's id of the node, so a renamed or moved directory stays the same album. */
  id?: string;
  title?: string;
  /** The directory name Cradle gave it: while it is unchanged, `title` holds the real title. */
  name?: string;
  /** Member file names in album order. */
  order?: string[];
  /** The key photo's file name. */
  key?: string;
}

const MEDIA = new Set(
  "jpg jpeg jpe heic heif png gif tif tiff webp bmp dng raw cr2 cr3 nef arw orf rw2 raf mov mp4 m4v avi 3gp mpg".split(
    " ",
  ),
);

export function isMediaName(name: string): boolean {
  return !name.startsWith(".") && MEDIA.has(extname(name).slice(1).toLowerCase());
}

export function readSidecar(dir: string, name: string): Sidecar | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, name), "utf8")) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Sidecar) : undefined;
  } catch {
    return undefined;
  }
}

export interface ScannedLibrary {
  library: PhotoLibrary;
  /** Node id → its directory, relative to the root. */
  dirs: Map<string, string>;
  /** Album directory (relative) → which directory it was (inode and birth time). */
  identities: Map<string, string>;
}

/**
 * `previous`, the scan a write into the library was based on: a file name that was already in the
 * same album directory (same path, inode and birth time) keeps the asset it had, unstatted.
 * Cradle's writes never put a photo under a name the directory held, nor rewrite one in place, so
 * whatever they changed shows; a photo someone else rewrites meanwhile keeps its old token here,
 * and the next run, which stats it, sees the change.
 */
export function scanAlbumsDir(root: string, previous?: ScannedLibrary): ScannedLibrary {
  const scanned: ScannedLibrary = {
    library: { assets: [], nodes: [] },
    dirs: new Map(),
    identities: new Map(),
  };
  const known = previous && {
    identities: previous.identities,
    assets: new Map(previous.library.assets.map((a) => [a.id, a])),
  };
  walk(root, "", null, { scanned, known }, 0);
  return scanned;
}

interface Walk {
  scanned: ScannedLibrary;
  known: { identities: Map<string, string>; assets: Map<string, PhotoAsset> } | undefined;
}

function walk(abs: string, rel: string, parent: string | null, w: Walk, depth: number): void {
  const { scanned } = w;
  const { library } = scanned;
  for (const entry of listDir(abs)) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const childAbs = join(abs, entry.name);
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    const entries = listDir(childAbs);
    const album = readSidecar(childAbs, ALBUM_SIDECAR);
    const folder = album ? undefined : readSidecar(childAbs, FOLDER_SIDECAR);
    const media = entries.filter((e) => !e.isDirectory() && isMediaName(e.name)).map((e) => e.name);
    const isAlbum =
      album !== undefined ||
      (folder === undefined &&
        (media.length > 0 || !entries.some((e) => e.isDirectory() && !e.name.startsWith("."))));
    const sidecar = album ?? folder;
    const title =
      sidecar?.name === entry.name && typeof sidecar.title === "string"
        ? sidecar.title
        : unescapeTitle(entry.name);
    const id = typeof sidecar?.id === "string" ? sidecar.id : `path:${childRel}`;
    const node: AlbumNode = { id, kind: isAlbum ? "album" : "folder", title, parent, members: [] };
    library.nodes.push(node);
    scanned.dirs.set(id, childRel);
    if (isAlbum) {
      const stat = statSync(childAbs, { throwIfNoEntry: false });
      const identity = stat && `${stat.ino}:${stat.birthtimeMs}`;
      if (identity) scanned.identities.set(childRel, identity);
      const same = identity && w.known?.identities.get(childRel) === identity ? w.known.assets : undefined;
      for (const name of ordered(media, sidecar?.order)) {
        const assetId = `${childRel}/${name}`;
        library.assets.push(same?.get(assetId) ?? asset(assetId, join(childAbs, name), name));
        node.members.push(assetId);
      }
      if (sidecar?.key && media.includes(sidecar.key)) node.keyAsset = `${childRel}/${sidecar.key}`;
    } else if (depth < 64) walk(childAbs, childRel, id, w, depth + 1);
  }
}

function listDir(dir: string): Dirent[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

/** The sidecar's order for the files it names, then the others by name. */
function ordered(files: string[], order: unknown): string[] {
  if (!Array.isArray(order)) return files;
  const present = new Set(files);
  const first = [...new Set(order.filter((n): n is string => typeof n === "string" && present.has(n)))];
  const listed = new Set(first);
  return [...first, ...files.filter((f) => !listed.has(f))];
}

function asset(id: string, path: string, name: string): PhotoAsset {
  try {
    const s = statSync(path);
    return { id, path, name, token: `${s.mtimeMs}:${s.size}:${s.ino}`, size: s.size, created: s.mtimeMs };
  } catch {
    return { id, path, name, token: "missing" };
  }
}
