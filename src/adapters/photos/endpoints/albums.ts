import { existsSync, statSync } from "node:fs";
import type { AlbumsEndpoint, AlbumWrite, AlbumWriteResult, PhotoLibrary } from "../../../core/albums.js";
import type { GuardVerdict } from "../../../core/endpoint.js";
import { PhotosDirError } from "../albums-dir/errors.js";
import { type ScannedLibrary, scanAlbumsDir } from "../albums-dir/scan.js";
import { writeAlbumsDir } from "../albums-dir/write.js";

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

  constructor(private readonly dir: string) {
    this.uri = `albums:${dir}`;
  }

  async guard(): Promise<GuardVerdict> {
    return { enabled: true };
  }

  async read(): Promise<PhotoLibrary> {
    if (!existsSync(this.dir) || !statSync(this.dir).isDirectory())
      throw new PhotosDirError(
        `${this.dir} is not a folder. albums: takes a folder of album folders; create it first.`,
        {
          dir: this.dir,
        },
      );
    this.last = scanAlbumsDir(this.dir);
    return this.last.library;
  }

  async write(change: AlbumWrite): Promise<AlbumWriteResult> {
    if (!this.last) await this.read();
    const { library, dirs } = this.last as ScannedLibrary;
    const files = new Map(library.assets.flatMap((a) => (a.path ? [[a.id, a.path] as const] : [])));
    this.last = undefined;
    return writeAlbumsDir(this.dir, change, new Map(dirs), files);
  }
}
