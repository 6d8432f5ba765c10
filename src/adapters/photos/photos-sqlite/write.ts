/**
 * Writes albums and folders into a Photos.sqlite the way Core Data would: new rows take
 * Z_MAX + 1 of the GenericAlbum entity tree (and Z_MAX moves with them), Z_ENT is the Album or
 * Folder entity, Z_OPT counts every change, each row gets a new upper-case UUID. A deleted
 * album or folder is trashed (ZTRASHEDSTATE 1), as Photos does, never dropped.
 *
 * Only ZGENERICALBUM, the join table and Z_PRIMARYKEY are written: they have no triggers. ZASSET
 * has triggers that call Core Data functions plain SQLite lacks, so assets are never added
 * here: a member this library does not hold is reported, and stays in the album everywhere else.
 */
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { AlbumWrite, AlbumWriteResult, TargetNode } from "../../../core/albums.js";
import { toCoreDataSeconds } from "../../contacts/ios/schema.js";
import { AlbumKind, type PhotosSchema } from "./schema.js";

/** Core Data spaces ordered-relationship keys 1024 apart (observed in every fixture). */
const FOK_STEP = 1024;

export function writePhotosAlbums(
  db: Database.Database,
  schema: PhotosSchema,
  change: AlbumWrite,
  where: string,
  now = new Date(),
  /** New ZUUIDs (the virtual iPhone passes a seeded source). */
  newUuid: () => string = randomUUID,
): AlbumWriteResult {
  const has = (c: string) => schema.albumColumns.has(c);
  const stamp = toCoreDataSeconds(now);
  const result: AlbumWriteResult = { created: new Map(), failed: [] };
  const ids = new Map(change.ids);
  const root = db
    .prepare(`SELECT Z_PK FROM ZGENERICALBUM WHERE ZKIND = ${AlbumKind.root} ORDER BY Z_PK LIMIT 1`)
    .pluck()
    .get() as number | undefined;
  if (root === undefined) throw new Error(`${where} has no root folder (ZKIND ${AlbumKind.root})`);
  const parentPk = (ref: string | null) => (ref === null ? root : Number(ids.get(ref)));
  const liveAssets = new Set(
    db
      .prepare(`SELECT Z_PK FROM ${schema.assetTable} WHERE COALESCE(ZTRASHEDSTATE, 0) = 0`)
      .pluck()
      .all() as number[],
  );

  const trash = db.prepare(
    `UPDATE ZGENERICALBUM SET ZTRASHEDSTATE = 1, Z_OPT = Z_OPT + 1${has("ZTRASHEDDATE") ? ", ZTRASHEDDATE = ?" : ""}
     WHERE Z_PK = ? AND ZKIND IN (${AlbumKind.user}, ${AlbumKind.folder})`,
  );
  for (const id of change.delete) trash.run(...(has("ZTRASHEDDATE") ? [stamp, Number(id)] : [Number(id)]));

  for (const node of change.put) {
    const parent = parentPk(node.parentRef);
    if (Number.isNaN(parent)) throw new Error(`the parent of "${node.title}" is not in ${where}`);
    let pk: number;
    if (node.id === undefined) {
      pk = insertNode(db, schema, node, parent, stamp, newUuid());
      ids.set(node.ref, String(pk));
      result.created.set(node.ref, String(pk));
    } else {
      pk = Number(node.id);
      db.prepare(
        "UPDATE ZGENERICALBUM SET ZTITLE = ?, ZPARENTFOLDER = ?, Z_OPT = Z_OPT + 1 WHERE Z_PK = ?",
      ).run(node.title, parent, pk);
    }
    if (node.kind === "album") writeMembers(db, schema, pk, node, liveAssets, result, where);
  }

  const setFok = db.prepare("UPDATE ZGENERICALBUM SET Z_FOK_PARENTFOLDER = ? WHERE Z_PK = ?");
  if (has("Z_FOK_PARENTFOLDER"))
    for (const refs of change.order.values())
      for (const [i, ref] of refs.entries()) {
        const id = ids.get(ref);
        if (id !== undefined) setFok.run((i + 1) * FOK_STEP, Number(id));
      }
  return result;
}

function insertNode(
  db: Database.Database,
  schema: PhotosSchema,
  node: TargetNode,
  parent: number,
  stamp: number,
  uuid: string,
): number {
  const max = db.prepare("SELECT Z_MAX FROM Z_PRIMARYKEY WHERE Z_ENT = ?").pluck().get(schema.albumRootEnt) as
    | number
    | null;
  const highest = db.prepare("SELECT MAX(Z_PK) FROM ZGENERICALBUM").pluck().get() as number | null;
  const pk = Math.max(max ?? 0, highest ?? 0) + 1;
  db.prepare("UPDATE Z_PRIMARYKEY SET Z_MAX = ? WHERE Z_ENT = ?").run(pk, schema.albumRootEnt);
  const folder = node.kind === "folder";
  const values: Record<string, unknown> = {
    Z_PK: pk,
    Z_ENT: folder ? schema.folderEnt : schema.albumEnt,
    Z_OPT: 1,
    ZKIND: folder ? AlbumKind.folder : AlbumKind.user,
    ZTITLE: node.title,
    ZUUID: uuid.toUpperCase(),
    ZPARENTFOLDER: parent,
    ZTRASHEDSTATE: 0,
    ZCUSTOMSORTASCENDING: 1,
    ZCUSTOMSORTKEY: folder ? 0 : 1,
    ZCACHEDCOUNT: 0,
    ZCLOUDLOCALSTATE: 0,
    ZCLOUDDELETESTATE: 0,
    ZISPINNED: 0,
    ZISPROTOTYPE: 0,
    ZPENDINGITEMSCOUNT: 0,
    ZCREATIONDATE: stamp,
    ZLASTMODIFIEDDATE: stamp,
  };
  if (schema.albumColumns.has("Z_FOK_PARENTFOLDER")) {
    const last = db
      .prepare("SELECT MAX(Z_FOK_PARENTFOLDER) FROM ZGENERICALBUM WHERE ZPARENTFOLDER = ?")
      .pluck()
      .get(parent) as number | null;
    values.Z_FOK_PARENTFOLDER = (last ?? 0) + FOK_STEP;
  }
  const columns = Object.keys(values).filter((c) => schema.albumColumns.has(c));
  db.prepare(
    `INSERT INTO ZGENERICALBUM (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
  ).run(...columns.map((c) => values[c]));
  return pk;
}

function writeMembers(
  db: Database.Database,
  schema: PhotosSchema,
  pk: number,
  node: TargetNode,
  liveAssets: Set<number>,
  result: AlbumWriteResult,
  where: string,
): void {
  const { table, album, asset, order } = schema.join;
  const members: number[] = [];
  for (const m of node.members) {
    const id = m.assetId === undefined ? Number.NaN : Number(m.assetId);
    if (liveAssets.has(id) && !members.includes(id)) members.push(id);
    else if (!liveAssets.has(id))
      result.failed.push({
        where: `${where} album "${node.title}" ${m.name}`,
        reason:
          "this library does not hold the photo and Cradle cannot import into Photos.sqlite; import it with the Photos app and sync again (the album keeps it elsewhere)",
      });
  }
  db.prepare(`DELETE FROM ${table} WHERE ${album} = ?`).run(pk);
  const insert = db.prepare(
    order
      ? `INSERT INTO ${table} (${album}, ${asset}, ${order}) VALUES (?, ?, ?)`
      : `INSERT INTO ${table} (${album}, ${asset}) VALUES (?, ?)`,
  );
  for (const [i, a] of members.entries()) insert.run(...(order ? [pk, a, (i + 1) * FOK_STEP] : [pk, a]));
  const key = node.keyFingerprint
    ? node.members.find((m) => m.fingerprint === node.keyFingerprint)?.assetId
    : undefined;
  const sets = ["ZCACHEDCOUNT = ?"];
  const params: unknown[] = [members.length];
  if (schema.keyAssetColumn) {
    sets.push(`${schema.keyAssetColumn} = ?`);
    params.push(key !== undefined && liveAssets.has(Number(key)) ? Number(key) : null);
  }
  db.prepare(`UPDATE ZGENERICALBUM SET ${sets.join(", ")} WHERE Z_PK = ?`).run(...params, pk);
}
