/** A virtual iPhone and album folders to sync photo albums between, with the edits a user makes. */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { showAlbums, syncPhotoAlbums } from "../../../src/api/photos.js";
import { createVirtualDevice } from "../../../src/device/virtual/create.js";
import { devicePath } from "../../../src/device/virtual/layout.js";

export function setup(folders = 1): { phone: string; pcs: string[]; state: string } {
  const root = mkdtempSync(join(tmpdir(), "cradle-albums-"));
  const phone = join(root, "phone");
  createVirtualDevice(phone, { sample: 0 });
  const pcs = Array.from({ length: folders }, (_, i) => join(root, `pc${i}`));
  for (const pc of pcs) mkdirSync(pc);
  return { phone, pcs, state: join(root, "state.sqlite") };
}

export function sync(state: string, specs: string[], extra: { allowEmpty?: boolean; dryRun?: boolean } = {}) {
  return syncPhotoAlbums({ domain: "photos", endpoints: specs, stateFile: state, ...extra });
}

/** Every album as "folder/title: member, member" with members by file name, sorted by path. */
export async function albumsOf(spec: string): Promise<Record<string, number>> {
  const albums = await showAlbums(spec);
  return Object.fromEntries(albums.map((a) => [`${a.folder ? `${a.folder}/` : ""}${a.title}`, a.count]));
}

export function phoneDb(phone: string): Database.Database {
  return new Database(devicePath(phone, "photos"));
}

/** Member file names of the phone's album, in album order. */
export function phoneMembers(phone: string, title: string): string[] {
  const db = phoneDb(phone);
  try {
    return db
      .prepare(
        `SELECT a.ZFILENAME FROM Z_33ASSETS j JOIN ZGENERICALBUM g ON g.Z_PK = j.Z_33ALBUMS JOIN ZASSET a ON a.Z_PK = j.Z_3ASSETS
         WHERE g.ZTITLE = ? AND g.ZTRASHEDSTATE = 0 ORDER BY j.Z_FOK_3ASSETS`,
      )
      .pluck()
      .all(title) as string[];
  } finally {
    db.close();
  }
}

/** What the Photos app does when the user edits an album on the phone. */
export function onPhone(
  phone: string,
  edit: (db: Database.Database, album: (title: string) => number) => void,
) {
  const db = phoneDb(phone);
  try {
    const album = (title: string) =>
      db
        .prepare("SELECT Z_PK FROM ZGENERICALBUM WHERE ZTITLE = ? AND ZTRASHEDSTATE = 0")
        .pluck()
        .get(title) as number;
    db.transaction(() => edit(db, album))();
  } finally {
    db.close();
  }
}

export function addOnPhone(db: Database.Database, album: number, file: string, fok: number): void {
  const asset = db.prepare("SELECT Z_PK FROM ZASSET WHERE ZFILENAME = ?").pluck().get(file);
  db.prepare("INSERT INTO Z_33ASSETS (Z_33ALBUMS, Z_3ASSETS, Z_FOK_3ASSETS) VALUES (?, ?, ?)").run(
    album,
    asset,
    fok,
  );
}
