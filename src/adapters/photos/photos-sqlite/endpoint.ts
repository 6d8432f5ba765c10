import { readdirSync } from "node:fs";
import { basename, dirname, isAbsolute, join, normalize, sep } from "node:path";
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
    const listings = new Map<string, Set<string>>();
    const library = withPhotosDb(this.database, "read", (db, schema) =>
      readPhotosLibrary(
        db,
        schema,
        (directory, filename, modified) => this.locate(directory, filename, modified, listings),
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
   * one directory listing per folder to notice a file that went missing.
   */
  private locate(
    directory: string | null,
    filename: string | null,
    modified: number | null,
    listings: Map<string, Set<string>>,
  ): { path?: string; token: string } {
    if (!directory || !filename || isAbsolute(directory) || filename.includes("/")) return { token: "none" };
    const relative = normalize(join(directory, filename));
    if (relative.startsWith(`..${sep}`) || relative === "..") return { token: "none" };
    const folder = dirname(relative);
    let names = listings.get(folder);
    if (!names) {
      names = new Set(listOrNothing(join(this.assetRoot, folder)));
      listings.set(folder, names);
    }
    const path = join(this.assetRoot, relative);
    return { path, token: names.has(basename(relative)) ? `${relative}@${modified ?? 0}` : "missing" };
  }
}

function listOrNothing(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
