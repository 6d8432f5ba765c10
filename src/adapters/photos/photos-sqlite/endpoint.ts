import { readdirSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import type {
  AlbumsEndpoint,
  AlbumWrite,
  AlbumWriteResult,
  PhotoAsset,
  PhotoLibrary,
} from "../../../core/albums.js";
import type { GuardVerdict } from "../../../core/endpoint.js";
import { changeToken } from "../change-token.js";
import { withPhotosDb } from "./open.js";
import { readPhotosLibrary } from "./read.js";
import { writePhotosAlbums } from "./write.js";

/**
 * A Photos.sqlite with the folder its asset paths are relative to. The iOS and macOS endpoints
 * differ only in where those two are and in the guard.
 */
export abstract class PhotosSqliteEndpoint implements AlbumsEndpoint {
  readonly domain = "photos";
  readonly readOnly = false;
  readonly ordersNodes = true;
  abstract readonly uri: string;
  private lastAssets: PhotoAsset[] | undefined;
  /**
   * The assets of the read a write was based on, for the read after it. An asset Photos changes
   * meanwhile keeps its old token there; the next run reads the rows again and sees it.
   */
  private assetsBeforeWrite: PhotoAsset[] | undefined;

  constructor(
    protected readonly database: string,
    private readonly assetRoot: string,
  ) {}

  abstract guard(): Promise<GuardVerdict>;

  /** The database and its WAL, and the photo folders (two levels: DCIM/100APPLE, originals/0). */
  async changeToken(): Promise<string> {
    return changeToken(this.assetRoot, 2, [], [this.database, `${this.database}-wal`]);
  }

  async read(): Promise<PhotoLibrary> {
    const folders = new Map<string, AssetFolder | undefined>();
    const library = withPhotosDb(this.database, "read", (db, schema) =>
      readPhotosLibrary(
        db,
        schema,
        (directory, filename, modified) => this.locate(directory, filename, modified, folders),
        this.assetsBeforeWrite,
      ),
    );
    this.lastAssets = library.assets;
    this.assetsBeforeWrite = undefined;
    return library;
  }

  async write(change: AlbumWrite): Promise<AlbumWriteResult> {
    // A write changes albums and memberships, never an asset row: the read after it keeps the assets.
    this.assetsBeforeWrite = this.lastAssets;
    return withPhotosDb(this.database, "write", (db, schema) =>
      writePhotosAlbums(db, schema, change, this.uri),
    );
  }

  /**
   * The file of an asset, only inside the asset folder: a ZDIRECTORY that is absolute (a
   * referenced file on another volume) or climbs out with ".." gives no path, so a crafted
   * database can never make Cradle read or copy files elsewhere. Photos rewrites an original only
   * with a new ZMODIFICATIONDATE, so that date (with the path) is the token: no stat per photo,
   * one directory listing per folder to notice a file that went missing. Each ZDIRECTORY is
   * checked once (a library has a handful, for tens of thousands of photos).
   */
  private locate(
    directory: string | null,
    filename: string | null,
    modified: number | null,
    folders: Map<string, AssetFolder | undefined>,
  ): { path?: string; token: string } {
    if (!directory || !filename || filename === "." || filename === ".." || filename.includes("/"))
      return { token: "none" };
    let folder = folders.get(directory);
    if (!folders.has(directory)) {
      folder = this.assetFolder(directory);
      folders.set(directory, folder);
    }
    if (!folder) return { token: "none" };
    const relative = folder.relative === "." ? filename : `${folder.relative}${sep}${filename}`;
    return {
      path: `${folder.absolute}${sep}${filename}`,
      token: folder.names.has(filename) ? `${relative}@${modified ?? 0}` : "missing",
    };
  }

  /** The folder a ZDIRECTORY names inside the asset folder, listed; undefined when it lies outside. */
  private assetFolder(directory: string): AssetFolder | undefined {
    if (isAbsolute(directory)) return undefined;
    const relative = dirname(normalize(join(directory, "_")));
    if (relative === ".." || relative.startsWith(`..${sep}`)) return undefined;
    const absolute = join(this.assetRoot, relative);
    return { relative, absolute, names: new Set(listOrNothing(absolute)) };
  }
}

interface AssetFolder {
  /** Relative to the asset folder, normalized; "." for the asset folder itself. */
  relative: string;
  absolute: string;
  names: Set<string>;
}

function listOrNothing(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
