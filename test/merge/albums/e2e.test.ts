import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createVirtualDevice } from "../../../src/device/virtual/create.js";
import { addOnPhone, albumsOf, onPhone, phoneMembers, setup, sync } from "./helpers.js";

const media = (dir: string) => readdirSync(dir).filter((n) => !n.startsWith("."));
const order = (dir: string) =>
  JSON.parse(readFileSync(join(dir, ".cradle-album.json"), "utf8")).order as string[];

describe("album sync, ios: ↔ albums:", () => {
  it("copies the phone's albums and folders into folders, then a resync changes nothing", async () => {
    const { phone, pcs, state } = setup();
    const pc = pcs[0] as string;
    await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    expect(await albumsOf(`albums:${pc}`)).toEqual(await albumsOf(`ios:${phone}`));
    expect(media(join(pc, "Garden"))).toEqual(["IMG_0006.JPG", "IMG_0007.JPG", "IMG_0008.JPG"]);
    expect(media(join(pc, "Trips", "2024", "Family"))).toEqual(["IMG_0006.JPG"]);
    const again = await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    expect(again.endpoints.map((e) => e.created + e.updated + e.deleted)).toEqual([0, 0]);
  });

  it("a rename on the computer and an add on the phone both land", async () => {
    const { phone, pcs, state } = setup();
    const pc = pcs[0] as string;
    await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    renameSync(join(pc, "Garden"), join(pc, "Garden 2024"));
    onPhone(phone, (db, album) => addOnPhone(db, album("Garden"), "IMG_0001.JPG", 9000));
    const report = await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    expect(report.merges.map((m) => m.label)).toEqual(["Garden 2024"]);
    expect(phoneMembers(phone, "Garden 2024")).toEqual([
      "IMG_0006.JPG",
      "IMG_0007.JPG",
      "IMG_0008.JPG",
      "IMG_0001.JPG",
    ]);
    expect(order(join(pc, "Garden 2024"))).toEqual([
      "IMG_0006.JPG",
      "IMG_0007.JPG",
      "IMG_0008.JPG",
      "IMG_0001.JPG",
    ]);
    expect(await albumsOf(`albums:${pc}`)).toEqual(await albumsOf(`ios:${phone}`));
  });

  it("reorders on both sides merge: each side's move lands", async () => {
    const { phone, pcs, state } = setup();
    const pc = pcs[0] as string;
    await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    // Phone: IMG_0008 to the front. Computer: IMG_0006 to the end.
    onPhone(phone, (db, album) =>
      db
        .prepare("UPDATE Z_33ASSETS SET Z_FOK_3ASSETS = 1 WHERE Z_33ALBUMS = ? AND Z_3ASSETS = 8")
        .run(album("Garden")),
    );
    const sidecar = join(pc, "Garden", ".cradle-album.json");
    const json = JSON.parse(readFileSync(sidecar, "utf8"));
    writeFileSync(
      sidecar,
      JSON.stringify({ ...json, order: ["IMG_0007.JPG", "IMG_0008.JPG", "IMG_0006.JPG"] }),
    );
    await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    expect(phoneMembers(phone, "Garden")).toEqual(["IMG_0008.JPG", "IMG_0007.JPG", "IMG_0006.JPG"]);
    expect(order(join(pc, "Garden"))).toEqual(["IMG_0008.JPG", "IMG_0007.JPG", "IMG_0006.JPG"]);
  });

  it("an album deleted on one side while photos are added on the other comes back whole", async () => {
    const { phone, pcs, state } = setup();
    const pc = pcs[0] as string;
    await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    rmSync(join(pc, "Holidays"), { recursive: true });
    onPhone(phone, (db, album) => addOnPhone(db, album("Holidays"), "IMG_0002.JPG", 9000));
    const report = await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    expect(report.resurrected).toEqual([
      expect.objectContaining({ label: "Holidays", endpoint: `albums:${pc}` }),
    ]);
    expect(media(join(pc, "Holidays"))).toEqual(["IMG_0002.JPG", "IMG_0009.JPG", "IMG_0010.JPG"]);
    expect(phoneMembers(phone, "Holidays")).toEqual(["IMG_0009.JPG", "IMG_0010.JPG", "IMG_0002.JPG"]);
  });

  it("an album deleted without edits elsewhere is deleted everywhere (trashed on the phone, moved to .cradle-trash)", async () => {
    const { phone, pcs, state } = setup();
    const pc = pcs[0] as string;
    await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    onPhone(phone, (db, album) =>
      db.prepare("UPDATE ZGENERICALBUM SET ZTRASHEDSTATE = 1 WHERE Z_PK = ?").run(album("Holidays")),
    );
    await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    expect(media(pc).sort()).toEqual(["Garden", "Trips"]);
    const trash = join(pc, ".cradle-trash");
    const [run] = readdirSync(trash);
    expect(media(join(trash, run as string, "Holidays"))).toEqual(["IMG_0009.JPG", "IMG_0010.JPG"]);
  });

  it("three endpoints converge, and the import step fills a new folder from the phone", async () => {
    const { phone, pcs, state } = setup(2);
    const [a, b] = pcs as [string, string];
    await sync(state, [`ios:${phone}`, `albums:${a}`, `albums:${b}`]);
    // Each side edits: a new album on a, a rename on b, a new member on the phone.
    mkdirSync(join(a, "Best"));
    copyFileSync(join(a, "Garden", "IMG_0007.JPG"), join(a, "Best", "best.jpg"));
    renameSync(join(b, "Holidays"), join(b, "Summer"));
    onPhone(phone, (db, album) => addOnPhone(db, album("Garden"), "IMG_0003.JPG", 9000));
    await sync(state, [`ios:${phone}`, `albums:${a}`, `albums:${b}`]);
    const expected = await albumsOf(`ios:${phone}`);
    expect(expected).toMatchObject({ Summer: 2, Garden: 4, Best: 1 });
    // The phone holds the same photo as IMG_0007.JPG: its album points at it, and b gets a copy under that name.
    expect(phoneMembers(phone, "Best")).toEqual(["IMG_0007.JPG"]);
    expect(media(join(b, "Best"))).toEqual(["IMG_0007.JPG"]);
    expect(await albumsOf(`albums:${a}`)).toEqual(expected);
    expect(await albumsOf(`albums:${b}`)).toEqual(expected);
  });

  it("a photo file missing on the phone is reported, and stays in the album everywhere", async () => {
    const { phone, pcs, state } = setup();
    const pc = pcs[0] as string;
    await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    rmSync(join(phone, "Media", "DCIM", "100APPLE", "IMG_0007.JPG"));
    onPhone(phone, (db, album) => addOnPhone(db, album("Garden"), "IMG_0001.JPG", 9000));
    const report = await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    expect(report.skipped.some((s) => s.where.endsWith("IMG_0007.JPG") && /kept/.test(s.reason))).toBe(true);
    expect(phoneMembers(phone, "Garden")).toEqual([
      "IMG_0006.JPG",
      "IMG_0007.JPG",
      "IMG_0008.JPG",
      "IMG_0001.JPG",
    ]);
    expect(media(join(pc, "Garden"))).toEqual([
      "IMG_0001.JPG",
      "IMG_0006.JPG",
      "IMG_0007.JPG",
      "IMG_0008.JPG",
    ]);
  });

  it("keeps titles that are not directory names, reversibly", async () => {
    const { phone, pcs, state } = setup();
    const pc = pcs[0] as string;
    onPhone(phone, (db, album) =>
      db.prepare("UPDATE ZGENERICALBUM SET ZTITLE = '2019-10/11 Paris' WHERE Z_PK = ?").run(album("Garden")),
    );
    await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    expect(media(pc)).toContain("2019-10%2F11 Paris");
    expect(await albumsOf(`albums:${pc}`)).toHaveProperty(["2019-10/11 Paris"], 3);
  });

  it("refuses to propagate an emptied side (exit 4) unless --allow-empty", async () => {
    const { phone, pcs, state } = setup();
    const pc = pcs[0] as string;
    await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    for (const name of media(pc)) rmSync(join(pc, name), { recursive: true });
    await expect(sync(state, [`ios:${phone}`, `albums:${pc}`])).rejects.toMatchObject({ exitCode: 4 });
    expect(Object.keys(await albumsOf(`ios:${phone}`))).toHaveLength(3);
    await sync(state, [`ios:${phone}`, `albums:${pc}`], { allowEmpty: true });
    expect(await albumsOf(`ios:${phone}`)).toEqual({});
  });
});

describe("album sync and the iCloud guard", () => {
  it("refuses (exit 3) and writes nothing when iCloud Photos is on", async () => {
    const root = mkdtempSync(join(tmpdir(), "cradle-albums-icloud-"));
    const phone = join(root, "phone");
    createVirtualDevice(phone, { sample: 0, icloud: ["photos"] });
    mkdirSync(join(root, "pc"));
    await expect(
      sync(join(root, "state.sqlite"), [`ios:${phone}`, `albums:${join(root, "pc")}`]),
    ).rejects.toMatchObject({
      exitCode: 3,
      data: { domain: "photos", status: "disabled", reason: "icloud" },
    });
    expect(readdirSync(join(root, "pc"))).toEqual([]);
  });
});

describe("album sync safety", () => {
  it("a dry run plans and writes nothing to the sides", async () => {
    const { phone, pcs, state } = setup();
    const pc = pcs[0] as string;
    const report = await sync(state, [`ios:${phone}`, `albums:${pc}`], { dryRun: true });
    expect(report.plan).toContain(`create album "Garden" on albums:${pc} (3 members)`);
    expect(readdirSync(pc)).toEqual([]);
  });

  it("never reads a photo outside the media folder, whatever ZDIRECTORY says", async () => {
    const { phone, pcs, state } = setup();
    const pc = pcs[0] as string;
    writeFileSync(join(phone, "..", "secret.JPG"), "not for the album");
    onPhone(phone, (db) =>
      db.prepare("UPDATE ZASSET SET ZDIRECTORY = '../..', ZFILENAME = 'secret.JPG' WHERE Z_PK = 9").run(),
    );
    const report = await sync(state, [`ios:${phone}`, `albums:${pc}`]);
    expect(report.skipped.some((s) => /secret\.JPG|IMG_0009/.test(s.where))).toBe(true);
    expect(readdirSync(join(pc, "Holidays"))).not.toContain("secret.JPG");
    expect(media(join(pc, "Holidays"))).toEqual(["IMG_0010.JPG"]);
  });
});
