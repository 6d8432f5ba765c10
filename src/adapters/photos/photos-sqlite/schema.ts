/**
 * What a Photos.sqlite (iOS Media/PhotoData, macOS <lib>.photoslibrary/database) looks like
 * inside, found from the file rather than from a table of versions:
 *
 * - entity numbers come from Z_PRIMARYKEY (they differ in every release: Album is 26 in 10.15,
 *   33 in 26.1);
 * - the album–asset join table is `Z_<Album ent>ASSETS(Z_<Album ent>ALBUMS, Z_<n>ASSETS,
 *   Z_FOK_<n>ASSETS)`, where n is the Asset entity or one of its super-entities (10.15 names the
 *   column after the GenericAsset super-entity), confirmed with PRAGMA table_info. A regex on
 *   `Z_\d+ASSETS` would also match `Z_<GenericAlbum ent>KEYASSETS`, so it is never used;
 * - Z_MAX for new albums and folders is kept on the root of their entity tree (GenericAlbum).
 *
 * The model version (PLModelVersion in Z_METADATA's plist, read with the WAL) must be one this
 * code knows the layout of; otherwise nothing is read or written.
 */
import type Database from "better-sqlite3";
import { CradleError } from "../../../core/errors.js";
import { type PlistValue, parseBinaryPlist } from "../../../device/plist/index.js";

/** A Photos.sqlite that cannot be read or written safely: corrupt, or a layout Cradle does not know. */
export class PhotosDbError extends CradleError {}

/** Model versions seen from macOS 10.15 / iOS 13 (13xxx) to macOS 26 / iOS 26 (19xxx); 12xxx is iOS 12. */
const KNOWN_MODEL_VERSIONS = { min: 12000, max: 20999 };

export const AlbumKind = { user: 2, root: 3999, folder: 4000 } as const;

export interface PhotosSchema {
  modelVersion: number | undefined;
  assetTable: "ZASSET" | "ZGENERICASSET";
  /** Entity numbers from Z_PRIMARYKEY. */
  albumEnt: number;
  folderEnt: number;
  /** The entity whose Z_MAX numbers every ZGENERICALBUM row. */
  albumRootEnt: number;
  join: { table: string; album: string; asset: string; order: string | undefined };
  /** ZCUSTOMKEYASSET on current releases; absent on some older ones. */
  keyAssetColumn: string | undefined;
  albumColumns: Set<string>;
}

export function inspectPhotosDb(db: Database.Database, path: string): PhotosSchema {
  try {
    return inspect(db, path);
  } catch (error) {
    if (error instanceof PhotosDbError) throw error;
    throw new PhotosDbError(
      `${path} cannot be read as a Photos library (${(error as Error).message}); nothing was written.`,
      { path },
    );
  }
}

function inspect(db: Database.Database, path: string): PhotosSchema {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]).map(String),
  );
  const unknown = (what: string) =>
    new PhotosDbError(
      `${path} is not a Photos.sqlite layout Cradle knows (${what}); nothing was read or written.`,
      { path },
    );
  for (const t of ["Z_PRIMARYKEY", "ZGENERICALBUM"]) if (!tables.has(t)) throw unknown(`no ${t} table`);
  const modelVersion = readModelVersion(db, tables);
  if (
    modelVersion !== undefined &&
    (modelVersion < KNOWN_MODEL_VERSIONS.min || modelVersion > KNOWN_MODEL_VERSIONS.max)
  )
    throw unknown(`model version ${modelVersion}`);

  const entities = db.prepare("SELECT Z_ENT, Z_NAME, Z_SUPER FROM Z_PRIMARYKEY").all() as {
    Z_ENT: number;
    Z_NAME: string;
    Z_SUPER: number;
  }[];
  const byName = new Map(entities.map((e) => [e.Z_NAME, e]));
  const byEnt = new Map(entities.map((e) => [e.Z_ENT, e]));
  const ent = (name: string) => {
    const e = byName.get(name);
    if (!e) throw unknown(`no ${name} entity in Z_PRIMARYKEY`);
    return e.Z_ENT;
  };
  /** An entity and its super-entities, nearest first. */
  const lineage = (start: number) => {
    const out: number[] = [];
    for (let e = byEnt.get(start); e && !out.includes(e.Z_ENT); e = byEnt.get(e.Z_SUPER)) out.push(e.Z_ENT);
    return out;
  };
  const albumEnt = ent("Album");
  const folderEnt = ent("Folder");
  const albumRootEnt = lineage(albumEnt).at(-1) ?? albumEnt;
  const assetTable = tables.has("ZASSET")
    ? "ZASSET"
    : tables.has("ZGENERICASSET")
      ? "ZGENERICASSET"
      : undefined;
  if (!assetTable) throw unknown("no ZASSET or ZGENERICASSET table");

  const columns = (table: string) =>
    new Set((db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name));
  const join = findJoin(lineage(albumEnt), lineage(ent("Asset")), tables, columns);
  if (!join) throw unknown(`no album–asset join table for Album entity ${albumEnt}`);
  const albumColumns = columns("ZGENERICALBUM");
  for (const c of ["Z_PK", "Z_ENT", "Z_OPT", "ZKIND", "ZTITLE", "ZUUID", "ZPARENTFOLDER", "ZTRASHEDSTATE"])
    if (!albumColumns.has(c)) throw unknown(`ZGENERICALBUM has no ${c} column`);
  return {
    modelVersion,
    assetTable,
    albumEnt,
    folderEnt,
    albumRootEnt,
    join,
    keyAssetColumn: ["ZCUSTOMKEYASSET", "ZKEYASSET"].find((c) => albumColumns.has(c)),
    albumColumns,
  };
}

function findJoin(
  albumLineage: number[],
  assetLineage: number[],
  tables: Set<string>,
  columns: (table: string) => Set<string>,
): PhotosSchema["join"] | undefined {
  for (const a of albumLineage) {
    const table = `Z_${a}ASSETS`;
    if (!tables.has(table)) continue;
    const cols = columns(table);
    const album = `Z_${a}ALBUMS`;
    const n = assetLineage.find((e) => cols.has(`Z_${e}ASSETS`));
    if (!cols.has(album) || n === undefined) continue;
    const order = `Z_FOK_${n}ASSETS`;
    return { table, album, asset: `Z_${n}ASSETS`, order: cols.has(order) ? order : undefined };
  }
  return undefined;
}

/** PLModelVersion from the plist in Z_METADATA; undefined when the store has none. */
function readModelVersion(db: Database.Database, tables: Set<string>): number | undefined {
  if (!tables.has("Z_METADATA")) return undefined;
  const blob = db.prepare("SELECT Z_PLIST FROM Z_METADATA LIMIT 1").pluck().get() as
    | Buffer
    | null
    | undefined;
  if (!blob) return undefined;
  const plist = parseBinaryPlist(blob) as { [key: string]: PlistValue };
  const version = plist.PLModelVersion;
  return typeof version === "number" ? version : undefined;
}
