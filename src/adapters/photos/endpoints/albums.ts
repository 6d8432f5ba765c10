import { existsSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { AlbumsEndpoint, AlbumWrite, AlbumWriteResult, PhotoLibrary } from "../../../core/albums.js";
import type { GuardVerdict } from "../../../core/endpoint.js";
import { writeFileAtomic } from "../../shared/atomic-write.js";
import { PhotosDirError } from "../albums-dir/errors.js";
import {
  ALBUM_SIDECAR,
  FOLDER_SIDECAR,
  readSidecar,
  type ScannedLibrary,
  scanAlbumsDir,
} from "../albums-dir/scan.js";
import { writeAlbumsDir } from "../albums-dir/write.js";
import { changeToken } from "../change-token.js";

/**
 * `albums:DIR`, a folder library: each album is a directory named after it, folders are
 * directories of albums, members are the media files inside (or symbolic links to them). The
 * order and the exact title live in a `.cradle-album.json` sidecar that other tools ignore.
 */
export class PhotosAlbumsDirEndpoint implements AlbumsEndpoint {
  readonly domain = "photos";
  readonly readOnly = false;
  /** Directories have no order among themselves. */
  readonly ordersNodes = false;
  readonly uri: string;
  private last: ScannedLibrary | undefined;
  /** The scan the last write was based on: the read after the write stats only what changed. */
  private beforeWrite: ScannedLibrary | undefined;

  constructor(private readonly dir: string) {
    this.uri = `albums:${dir}`;
  }

  async guard(): Promise<GuardVerdict> {
    return { enabled: true };
  }

  /** Every album and folder directory and its sidecar. */
  async changeToken(): Promise<string> {
    return changeToken(this.dir, 64, [ALBUM_SIDECAR, FOLDER_SIDECAR]);
  }

  async read(): Promise<PhotoLibrary> {
    if (!existsSync(this.dir) || !statSync(this.dir).isDirectory())
      throw new PhotosDirError(
        `${this.dir} is not a folder. albums: takes a folder of album folders; create it first.`,
        {
          dir: this.dir,
        },
      );
    this.last = scanAlbumsDir(this.dir, this.beforeWrite);
    this.beforeWrite = undefined;
    return this.last.library;
  }

  async write(change: AlbumWrite): Promise<AlbumWriteResult> {
    if (!this.last) await this.read();
    const { library, dirs } = this.last as ScannedLibrary;
    const files = new Map(library.assets.flatMap((a) => (a.path ? [[a.id, a.path] as const] : [])));
    this.beforeWrite = this.last;
    this.last = undefined;
    return writeAlbumsDir(this.dir, change, new Map(dirs), files);
  }

  /** Writes the sync's id into each directory's sidecar, so a later rename or move keeps the album. */
  async adopt(ids: Map<string, string>): Promise<void> {
    const scanned = this.last ?? scanAlbumsDir(this.dir);
    const nodes = new Map(scanned.library.nodes.map((n) => [n.id, n]));
    for (const [ref, id] of ids) {
      const rel = scanned.dirs.get(id);
      const node = nodes.get(id);
      if (rel === undefined || !node) continue;
      const dir = join(this.dir, rel);
      const file = node.kind === "album" ? ALBUM_SIDECAR : FOLDER_SIDECAR;
      const order = node.members.map((m) => basename(m));
      const sidecar = { ...readSidecar(dir, file), id: ref, title: node.title, name: basename(rel) };
      await writeFileAtomic(
        join(dir, file),
        JSON.stringify(node.kind === "album" ? { order, ...sidecar } : sidecar),
      );
    }
    this.last = undefined;
  }
}
