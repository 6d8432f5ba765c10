import { mkdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { withPhotosDb } from "../adapters/photos/photos-sqlite/open.js";
import { AlbumKind } from "../adapters/photos/photos-sqlite/schema.js";
import { syncEndpoints } from "../api/sync.js";
import { devicePath } from "../device/virtual/layout.js";
import type { DemoStep } from "./contacts-demo.js";

/** Core Data spaces ordered-relationship keys 1024 apart. */
const FOK_STEP = 1024;

/**
 * The photos demo, on the virtual iPhone the contacts demo made: its Photos.sqlite (albums in
 * folders) and a computer side that is a folder library (one directory per album). A first sync
 * copies the albums in; then the iPhone adds a photo to "Family" while the computer renames that
 * album's folder, and the second sync lands both.
 */
export async function runPhotosDemo(dir: string): Promise<DemoStep[]> {
  const phone = join(dir, "iphone");
  const computer = join(dir, "albums");
  await mkdir(computer, { recursive: true });
  const stateFile = join(dir, "state", "photos.sqlite");
  const run = () =>
    syncEndpoints({ domain: "photos", endpoints: [`ios:${phone}`, `albums:${computer}`], stateFile });

  const steps: DemoStep[] = [
    {
      title: `The same iPhone's Photos.sqlite (the Photos schema family) holds photos in albums, two of them in folders (Trips/2024). The computer side (${computer}) is a folder library: one directory per album.`,
    },
    { title: "First photos sync (copies each album's photos into its folder):", result: await run() },
  ];

  addPhotoToAlbumOnPhone(phone, "Family");
  await rename(join(computer, "Trips", "2024", "Family"), join(computer, "Trips", "2024", "Family 2024"));
  steps.push({
    title: [
      "Edited both sides:",
      "  iPhone:   a photo is added to the album Family;",
      "  computer: the same album's folder is renamed to Family 2024.",
    ].join("\n"),
  });
  steps.push({ title: "Second photos sync:", result: await run() });
  steps.push({ title: "Third photos sync, nothing changed:", result: await run() });
  return steps;
}

/** Adds the first photo the album lacks to its end, as the Photos app would (one join row). */
function addPhotoToAlbumOnPhone(phone: string, title: string): void {
  withPhotosDb(devicePath(phone, "photos"), "write", (db, schema) => {
    const { table, album, asset, order } = schema.join;
    const albumPk = db
      .prepare(`SELECT Z_PK FROM ZGENERICALBUM WHERE ZKIND = ${AlbumKind.user} AND ZTITLE = ?`)
      .pluck()
      .get(title) as number | undefined;
    if (albumPk === undefined) throw new Error(`demo: the phone has no album "${title}"`);
    const assetPk = db
      .prepare(
        `SELECT Z_PK FROM ${schema.assetTable} WHERE Z_PK NOT IN (SELECT ${asset} FROM ${table} WHERE ${album} = ?) ORDER BY Z_PK LIMIT 1`,
      )
      .pluck()
      .get(albumPk) as number | undefined;
    if (assetPk === undefined) throw new Error(`demo: every photo is already in "${title}"`);
    if (order === undefined) {
      db.prepare(`INSERT INTO ${table} (${album}, ${asset}) VALUES (?, ?)`).run(albumPk, assetPk);
      return;
    }
    const last = db.prepare(`SELECT MAX(${order}) FROM ${table} WHERE ${album} = ?`).pluck().get(albumPk);
    db.prepare(`INSERT INTO ${table} (${album}, ${asset}, ${order}) VALUES (?, ?, ?)`).run(
      albumPk,
      assetPk,
      Number(last ?? 0) + FOK_STEP,
    );
  });
}
