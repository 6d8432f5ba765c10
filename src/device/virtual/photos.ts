/**
 * The virtual iPhone's photos: small JPEGs in Media/DCIM/100APPLE and a Photos.sqlite (the
 * osxphotos 26.1 schema family, schemas/photos.sql) with one ZASSET row per photo and a few
 * albums, some in folders, written by the same code that writes albums during a sync.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { toCoreDataSeconds } from "../../adapters/contacts/ios/schema.js";
import { inspectPhotosDb } from "../../adapters/photos/photos-sqlite/schema.js";
import { writePhotosAlbums } from "../../adapters/photos/photos-sqlite/write.js";
import type { TargetNode } from "../../core/albums.js";
import { tinyJpeg } from "./jpeg.js";
import { devicePath } from "./layout.js";
import type { Random } from "./random.js";
import { readSchemaResource } from "./resources.js";

export interface PhotosOptions {
  photos: number;
  albums: number;
  random: Random;
  createdAt: Date;
}

const ALBUM_NAMES = ["Family", "Holidays", "Garden", "Friends", "Food", "City walks", "Pets", "Concerts"];
const FOLDERS = ["Trips", "Trips/2024"];

/** Writes the photos and their library into the device home `dir`; returns how many of each. */
export function writeVirtualPhotos(dir: string, options: PhotosOptions): { photos: number; albums: number } {
  const { random, photos, albums } = options;
  const dcim = join(dir, "Media", "DCIM", "100APPLE");
  mkdirSync(dcim, { recursive: true });
  mkdirSync(join(dir, "Media", "PhotoData"), { recursive: true });
  const path = devicePath(dir, "photos");
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    db.exec(readSchemaResource("photos.sql"));
    const ent = (name: string) =>
      db.prepare("SELECT Z_ENT FROM Z_PRIMARYKEY WHERE Z_NAME = ?").pluck().get(name) as number;
    const start = toCoreDataSeconds(options.createdAt);
    db.transaction(() => {
      const asset = db.prepare(
        `INSERT INTO ZASSET (Z_PK, Z_ENT, Z_OPT, ZUUID, ZDIRECTORY, ZFILENAME, ZDATECREATED, ZMODIFICATIONDATE,
           ZADDEDDATE, ZTRASHEDSTATE, ZHIDDEN, ZFAVORITE, ZKIND, ZVISIBILITYSTATE, ZWIDTH, ZHEIGHT,
           ZUNIFORMTYPEIDENTIFIER, ZADDITIONALATTRIBUTES)
         VALUES (?, ?, 1, ?, 'DCIM/100APPLE', ?, ?, ?, ?, 0, 0, 0, 0, 0, 8, 8, 'public.jpeg', ?)`,
      );
      const extra = db.prepare(
        "INSERT INTO ZADDITIONALASSETATTRIBUTES (Z_PK, Z_ENT, Z_OPT, ZASSET, ZORIGINALFILENAME, ZORIGINALFILESIZE) VALUES (?, ?, 1, ?, ?, ?)",
      );
      for (let pk = 1; pk <= photos; pk++) {
        const name = `IMG_${String(pk).padStart(4, "0")}.JPG`;
        const taken = start + pk * 3600 + random.int(0, 3000);
        const bytes = tinyJpeg(random.int(0, 255), `Cradle virtual iPhone photo ${pk} ${random.hex(8)}`);
        writeFileSync(join(dcim, name), bytes);
        asset.run(pk, ent("Asset"), random.uuid().toUpperCase(), name, taken, taken, taken, pk);
        extra.run(pk, ent("AdditionalAssetAttributes"), pk, name, bytes.length);
      }
      for (const [name, max] of [
        ["Asset", photos],
        ["AdditionalAssetAttributes", photos],
      ] as const)
        db.prepare("UPDATE Z_PRIMARYKEY SET Z_MAX = ? WHERE Z_NAME = ?").run(max, name);
      db.prepare(
        `INSERT INTO ZGENERICALBUM (Z_PK, Z_ENT, Z_OPT, ZKIND, ZUUID, ZTRASHEDSTATE) VALUES (1, ?, 1, 3999, ?, 0)`,
      ).run(ent("Folder"), random.uuid().toUpperCase());
      db.prepare("UPDATE Z_PRIMARYKEY SET Z_MAX = 1 WHERE Z_NAME = 'GenericAlbum'").run();
      const schema = inspectPhotosDb(db, path);
      writePhotosAlbums(db, schema, sampleAlbums(random, photos, albums), path, options.createdAt, () =>
        random.uuid(),
      );
    })();
  } finally {
    db.close();
  }
  return { photos, albums };
}

/** Two nested folders, then albums: the first in the inner folder, the rest at the top. */
function sampleAlbums(random: Random, photos: number, albums: number) {
  const put: TargetNode[] = [];
  if (albums > 0)
    for (const [i, path] of FOLDERS.entries()) {
      const title = path.split("/").at(-1) as string;
      put.push({
        ref: path,
        kind: "folder",
        title,
        parentRef: i === 0 ? null : (FOLDERS[i - 1] as string),
        members: [],
      });
    }
  for (let a = 0; a < albums; a++) {
    const base = ALBUM_NAMES[a % ALBUM_NAMES.length] as string;
    const title = a < ALBUM_NAMES.length ? base : `${base} ${Math.floor(a / ALBUM_NAMES.length) + 1}`;
    const size =
      photos === 0 ? 0 : random.int(1, Math.max(1, Math.min(photos, Math.ceil((2 * photos) / albums))));
    const first = random.int(1, Math.max(1, photos - size + 1));
    const members = Array.from({ length: size }, (_, i) => {
      const pk = String(first + i);
      return { fingerprint: pk, assetId: pk, name: pk };
    });
    put.push({ ref: `album ${a}`, kind: "album", title, parentRef: a === 0 ? "Trips/2024" : null, members });
  }
  return { put, delete: [], ids: new Map<string, string>(), order: new Map<string, string[]>() };
}
