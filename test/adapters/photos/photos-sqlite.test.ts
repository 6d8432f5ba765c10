import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { PhotosLibraryEndpoint } from "../../../src/adapters/photos/endpoints/library.js";
import { folderPathOf } from "../../../src/adapters/photos/model.js";
import type { AlbumNode, PhotoLibrary } from "../../../src/core/albums.js";
import { copyPhotosLibrary } from "./fixture.js";

function albums(library: PhotoLibrary) {
  const byId = new Map(library.nodes.map((n) => [n.id, n]));
  const names = new Map(library.assets.map((a) => [a.id, a.name]));
  return library.nodes
    .filter((n) => n.kind === "album")
    .map((n: AlbumNode) => ({
      title: n.title,
      folder: folderPathOf(n, byId),
      members: n.members.map((m) => names.get(m)),
    }));
}

describe("Photos.sqlite (osxphotos macOS 26.1 fixture)", () => {
  it("lists the 9 user albums with their folders and members, in Photos' order", async () => {
    const library = await new PhotosLibraryEndpoint(copyPhotosLibrary()).read();
    // Checked against sqlite3 on the fixture: the join table ordered by Z_FOK_3ASSETS, trashed assets left out.
    expect(albums(library)).toEqual([
      { title: "2019-10/11 Paris Clermont", folder: "", members: ["IMG_4547.jpg"] },
      { title: "2018-10 - Sponsion, Museum, Frühstück, Römermuseum", folder: "", members: ["IMG_4547.jpg"] },
      { title: "I have a deleted twin", folder: "", members: ["wedding.jpg"] },
      { title: "EmptyAlbum", folder: "", members: [] },
      { title: "Test Album", folder: "", members: ["Pumkins1.jpg"] },
      { title: "Test Album", folder: "", members: ["Pumkins2.jpg"] },
      { title: "AlbumInFolder", folder: "Folder1/SubFolder2", members: ["IMG_4547.jpg", "wedding.jpg"] },
      {
        title: "Raw",
        folder: "Folder2",
        members: ["DSC03584.dng", "IMG_1994.JPG", "IMG_1997.JPG", "IMG_2000.JPG"],
      },
      { title: "Pumpkin Farm", folder: "", members: ["Pumpkins3.jpg", "Pumkins1.jpg", "Pumkins2.jpg"] },
    ]);
    const folders = library.nodes.filter((n) => n.kind === "folder").map((n) => n.title);
    expect(folders).toEqual(["Folder1", "SubFolder1", "SubFolder2", "Folder2", "Pumpkin Farm"]);
  });

  it("reads rows that live only in the WAL and leaves the store byte for byte untouched", async () => {
    const library = copyPhotosLibrary();
    const db = join(library, "database", "Photos.sqlite");
    const digest = () =>
      [db, `${db}-wal`].map((f) => createHash("sha256").update(readFileSync(f)).digest("hex"));
    const before = digest();
    const read = await new PhotosLibraryEndpoint(library).read();
    expect(read.assets).toHaveLength(14); // 16 rows, 2 in Recently Deleted
    expect(digest()).toEqual(before);
  });

  it("refuses a corrupt database with an error naming it", async () => {
    const library = copyPhotosLibrary();
    const db = join(library, "database", "Photos.sqlite");
    writeFileSync(db, Buffer.alloc(4096, 7));
    await expect(new PhotosLibraryEndpoint(library).read()).rejects.toMatchObject({
      code: "PhotosDbError",
      message: expect.stringContaining(db),
    });
  });

  it("refuses a model version it does not know, and writes nothing", async () => {
    const library = copyPhotosLibrary();
    const path = join(library, "database", "Photos.sqlite");
    const db = new Database(path);
    db.prepare("UPDATE Z_PRIMARYKEY SET Z_NAME = 'Albums' WHERE Z_NAME = 'Album'").run();
    db.close();
    const endpoint = new PhotosLibraryEndpoint(library);
    await expect(endpoint.read()).rejects.toMatchObject({ code: "PhotosDbError" });
    await expect(
      endpoint.write({ put: [], delete: [], ids: new Map(), order: new Map() }),
    ).rejects.toMatchObject({ code: "PhotosDbError" });
  });
});

describe("Photos.sqlite writes", () => {
  it("creates a folder and an album in it, renames, reorders members, trashes, keeping Z_MAX and Z_ENT right", async () => {
    const library = copyPhotosLibrary();
    const endpoint = new PhotosLibraryEndpoint(library);
    const before = await endpoint.read();
    const pk = (name: string) => before.assets.find((a) => a.name === name)?.id as string;
    const ids = new Map(before.nodes.map((n) => [`ref-${n.id}`, n.id]));
    const raw = before.nodes.find((n) => n.title === "Raw") as AlbumNode;
    const empty = before.nodes.find((n) => n.title === "EmptyAlbum") as AlbumNode;
    const result = await endpoint.write({
      put: [
        { ref: "trips", kind: "folder", title: "Trips", parentRef: null, members: [] },
        {
          ref: "rome",
          kind: "album",
          title: "Rome/2024",
          parentRef: "trips",
          members: [
            { fingerprint: "a", assetId: pk("Tulips.jpg"), name: "Tulips.jpg" },
            { fingerprint: "b", assetId: pk("wedding.jpg"), name: "wedding.jpg" },
            { fingerprint: "c", name: "new.jpg", source: "/elsewhere/new.jpg" },
          ],
          keyFingerprint: "b",
        },
        {
          ref: `ref-${raw.id}`,
          id: raw.id,
          kind: "album",
          title: "Raw files",
          parentRef: null,
          members: [...raw.members].reverse().map((id) => ({ fingerprint: id, assetId: id, name: id })),
        },
      ],
      delete: [empty.id],
      ids,
      order: new Map(),
    });
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]?.where).toContain("new.jpg");

    const after = await endpoint.read();
    expect(albums(after).find((a) => a.title === "Rome/2024")).toEqual({
      title: "Rome/2024",
      folder: "Trips",
      members: ["Tulips.jpg", "wedding.jpg"],
    });
    expect(albums(after).find((a) => a.title === "Raw files")).toEqual({
      title: "Raw files",
      folder: "",
      members: ["IMG_2000.JPG", "IMG_1997.JPG", "IMG_1994.JPG", "DSC03584.dng"],
    });
    expect(after.nodes.some((n) => n.title === "EmptyAlbum")).toBe(false);

    const db = new Database(join(library, "database", "Photos.sqlite"), { readonly: true });
    const rows = db
      .prepare(
        "SELECT Z_PK, Z_ENT, ZKIND, ZUUID, ZCUSTOMKEYASSET FROM ZGENERICALBUM WHERE ZTITLE IN ('Trips', 'Rome/2024')",
      )
      .all() as { Z_PK: number; Z_ENT: number; ZKIND: number; ZUUID: string; ZCUSTOMKEYASSET: number }[];
    const max = db.prepare("SELECT Z_MAX FROM Z_PRIMARYKEY WHERE Z_NAME = 'GenericAlbum'").pluck().get();
    const trashed = db
      .prepare("SELECT ZTRASHEDSTATE FROM ZGENERICALBUM WHERE Z_PK = ?")
      .pluck()
      .get(empty.id);
    db.close();
    expect(rows.map((r) => [r.Z_ENT, r.ZKIND])).toEqual([
      [41, 4000],
      [33, 2],
    ]);
    expect(max).toBe(Math.max(...rows.map((r) => r.Z_PK)));
    expect(new Set(rows.map((r) => r.ZUUID)).size).toBe(2);
    expect(rows[1]?.ZCUSTOMKEYASSET).toBe(Number(pk("wedding.jpg")));
    expect(trashed).toBe(1);
  });
});

describe("where an asset's file is", () => {
  it("finds files only inside originals, whatever ZDIRECTORY and ZFILENAME say, and notices one missing", async () => {
    const library = copyPhotosLibrary();
    mkdirSync(join(library, "originals", "E"));
    writeFileSync(join(library, "originals", "E", "here.jpg"), "x");
    writeFileSync(join(library, "originals", "top.jpg"), "x");
    writeFileSync(join(library, "secret.jpg"), "x");
    const db = new Database(join(library, "database", "Photos.sqlite"));
    const set = db.prepare(
      "UPDATE ZASSET SET ZDIRECTORY = ?, ZFILENAME = ?, ZMODIFICATIONDATE = 7 WHERE Z_PK = ?",
    );
    const cases: [string, string][] = [
      ["E", "here.jpg"],
      ["E/", "here.jpg"],
      ["F/../E", "here.jpg"],
      [".", "top.jpg"],
      ["E", "gone.jpg"],
      ["..", "secret.jpg"],
      ["E/../..", "secret.jpg"],
      ["/Volumes/x", "here.jpg"],
      ["E", ".."],
      ["E", "../top.jpg"],
    ];
    for (const [i, [directory, filename]] of cases.entries()) set.run(directory, filename, i + 1);
    db.close();
    const read = await new PhotosLibraryEndpoint(library).read();
    const where = cases.map((_, i) => {
      const a = read.assets.find((x) => x.id === String(i + 1));
      return [a?.path?.slice(library.length), a?.token];
    });
    const here = ["/originals/E/here.jpg", "E/here.jpg@7"];
    expect(where).toEqual([
      here,
      here,
      here,
      ["/originals/top.jpg", "top.jpg@7"],
      ["/originals/E/gone.jpg", "missing"],
      [undefined, "none"],
      [undefined, "none"],
      [undefined, "none"],
      [undefined, "none"],
      [undefined, "none"],
    ]);
  });
});
