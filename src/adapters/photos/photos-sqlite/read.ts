/**
 * Reads the user's albums and folders from a Photos.sqlite: ZGENERICALBUM rows of kind 2
 * (album) and 4000 (folder) that hang under the root folder (kind 3999), ordered among their
 * siblings by Z_FOK_PARENTFOLDER, members ordered by the join table's Z_FOK column. Trashed
 * albums, folders and assets are not part of the library.
 */
import type Database from "better-sqlite3";
import type { AlbumNode, PhotoAsset, PhotoLibrary } from "../../../core/albums.js";
import { fromCoreDataSeconds } from "../../contacts/ios/schema.js";
import { AlbumKind, type PhotosSchema } from "./schema.js";

/** Where an asset's file is, from ZDIRECTORY and ZFILENAME, with a token for its content. */
export type LocateAsset = (
  directory: string | null,
  filename: string | null,
  modified: number | null,
) => { path?: string; token: string };

interface AlbumRow {
  Z_PK: number;
  ZKIND: number;
  ZTITLE: string | null;
  ZPARENTFOLDER: number | null;
  keyAsset: number | null;
}

/** `assets`, when given, stand for the asset rows (read earlier in this run: Cradle never writes them). */
export function readPhotosLibrary(
  db: Database.Database,
  schema: PhotosSchema,
  locate: LocateAsset,
  assets: PhotoAsset[] = readAssets(db, schema, locate),
): PhotoLibrary {
  const live = new Set(assets.map((a) => a.id));
  const root = db
    .prepare(`SELECT Z_PK FROM ZGENERICALBUM WHERE ZKIND = ${AlbumKind.root} ORDER BY Z_PK LIMIT 1`)
    .pluck()
    .get() as number | undefined;
  const key = schema.keyAssetColumn ?? "NULL";
  const order = schema.albumColumns.has("Z_FOK_PARENTFOLDER") ? "Z_FOK_PARENTFOLDER," : "";
  const rows = db
    .prepare(
      `SELECT Z_PK, ZKIND, ZTITLE, ZPARENTFOLDER, ${key} AS keyAsset FROM ZGENERICALBUM
       WHERE ZKIND IN (${AlbumKind.user}, ${AlbumKind.folder}) AND COALESCE(ZTRASHEDSTATE, 0) = 0
       ORDER BY ${order} Z_PK`,
    )
    .all() as AlbumRow[];
  const members = readMembers(db, schema, live);

  const children = new Map<number | null, AlbumRow[]>();
  for (const row of rows) {
    const list = children.get(row.ZPARENTFOLDER) ?? [];
    list.push(row);
    children.set(row.ZPARENTFOLDER, list);
  }
  const nodes: AlbumNode[] = [];
  // Walk down from the root, so rows under a trashed folder (or none) are left out, parents first.
  const walk = (parent: number, parentId: string | null, depth: number) => {
    for (const row of children.get(parent) ?? []) {
      const id = String(row.Z_PK);
      const isFolder = row.ZKIND === AlbumKind.folder;
      const node: AlbumNode = {
        id,
        kind: isFolder ? "folder" : "album",
        title: row.ZTITLE ?? "",
        parent: parentId,
        members: isFolder ? [] : (members.get(row.Z_PK) ?? []),
      };
      if (row.keyAsset !== null && live.has(String(row.keyAsset))) node.keyAsset = String(row.keyAsset);
      nodes.push(node);
      if (isFolder && depth < 64) walk(row.Z_PK, id, depth + 1);
    }
  };
  if (root !== undefined) walk(root, null, 0);
  return { assets, nodes };
}

function readAssets(db: Database.Database, schema: PhotosSchema, locate: LocateAsset): PhotoAsset[] {
  const rows = db
    .prepare(
      `SELECT a.Z_PK AS pk, a.ZDIRECTORY AS directory, a.ZFILENAME AS filename, a.ZDATECREATED AS created, a.ZMODIFICATIONDATE AS modified,
              a.ZWIDTH AS width, a.ZHEIGHT AS height, x.ZORIGINALFILENAME AS original, x.ZORIGINALFILESIZE AS size
       FROM ${schema.assetTable} a LEFT JOIN ZADDITIONALASSETATTRIBUTES x ON x.Z_PK = a.ZADDITIONALATTRIBUTES
       WHERE COALESCE(a.ZTRASHEDSTATE, 0) = 0`,
    )
    .all() as {
    pk: number;
    directory: string | null;
    filename: string | null;
    created: number | null;
    modified: number | null;
    width: number | null;
    height: number | null;
    original: string | null;
    size: number | null;
  }[];
  return rows.map((r) => {
    const where = locate(r.directory, r.filename, r.modified);
    const asset: PhotoAsset = { id: String(r.pk), token: where.token, name: r.original ?? r.filename ?? "" };
    if (where.path) asset.path = where.path;
    if (r.created !== null) asset.created = fromCoreDataSeconds(r.created).getTime();
    if (r.size !== null) asset.size = r.size;
    if (r.width !== null && r.height !== null) {
      asset.width = r.width;
      asset.height = r.height;
    }
    return asset;
  });
}

/** Album Z_PK → member asset ids in album order; members that are trashed or gone are left out. */
function readMembers(db: Database.Database, schema: PhotosSchema, live: Set<string>): Map<number, string[]> {
  const { table, album, asset, order } = schema.join;
  const rows = db
    .prepare(
      `SELECT ${album} AS album, ${asset} AS asset FROM ${table} ORDER BY ${album}, ${order ?? "rowid"}`,
    )
    .raw()
    .all() as [number, number][];
  const out = new Map<number, string[]>();
  for (const [albumPk, assetPk] of rows) {
    const id = String(assetPk);
    if (!live.has(id)) continue;
    const list = out.get(albumPk) ?? [];
    list.push(id);
    out.set(albumPk, list);
  }
  return out;
}
