import { spawnSync } from "node:child_process";
import { copyFile, mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { withSection } from "./docs.js";
import { measure } from "./peers.js";
import { Rng } from "./prng.js";

/**
 * `npm run bench -- --only photos`: photo albums, ios: (a virtual iPhone's Photos.sqlite and its
 * JPEGs) ↔ albums: (one folder per album), 50,000 photos in 200 albums by default. Scenarios:
 * first sync (the import step copies every member into the folders), no-change resync, and a
 * resync after 1 % of the memberships changed, half on each side. No peer tool does this.
 */

export interface PhotosBenchResult {
  section: string;
  ok: boolean;
}

const TARGETS = { noChange: 1, edited: 2, rssMb: 300 };
const log = (msg: string) => process.stderr.write(`${msg}\n`);

interface VirtualPhotos {
  writeVirtualPhotos(
    dir: string,
    o: { photos: number; albums: number; random: unknown; createdAt: Date },
  ): unknown;
}
interface RandomModule {
  seededRandom(seed: string, purpose: string): unknown;
}

export async function runPhotosBench(
  root: string,
  photos: number,
  albums: number,
): Promise<PhotosBenchResult> {
  const work = join(root, "bench", ".work", "photos");
  await rm(work, { recursive: true, force: true });
  const phone = join(work, "phone");
  const pc = join(work, "pc");
  const state = join(work, "state.sqlite");
  await mkdir(pc, { recursive: true });
  await mkdir(phone, { recursive: true });
  const dist = (p: string) => pathToFileURL(join(root, "dist", p)).href;
  const { writeVirtualPhotos } = (await import(dist("device/virtual/photos.js"))) as VirtualPhotos;
  const { seededRandom } = (await import(dist("device/virtual/random.js"))) as RandomModule;
  log(`photos: writing ${photos} photos in ${albums} albums`);
  writeVirtualPhotos(phone, {
    photos,
    albums,
    random: seededRandom("bench", "photos"),
    createdAt: new Date("2024-11-04T09:00:00Z"),
  });
  const main = join(root, "dist", "cli", "main.js");
  const sync = () =>
    measure(
      process.execPath,
      [main, "sync", "photos", `ios:${phone}`, `albums:${pc}`, "--state", state, "--json"],
      work,
    );

  const rows: {
    name: string;
    seconds: number;
    rssMb: number | undefined;
    target?: number;
    ok: boolean;
    note: string;
  }[] = [];
  const check = async (name: string, r: Awaited<ReturnType<typeof sync>>, target?: number) => {
    const same = await sameAlbums(main, phone, pc);
    const ok =
      r.stderr === "" &&
      same &&
      (target === undefined || r.seconds < target) &&
      (r.rssMb ?? 0) < TARGETS.rssMb;
    rows.push({
      name,
      seconds: r.seconds,
      rssMb: r.rssMb,
      target,
      ok,
      note: same ? "sides agree" : "SIDES DIFFER",
    });
    log(
      `photos: ${name}: ${r.seconds.toFixed(2)} s, ${r.rssMb?.toFixed(0) ?? "?"} MB${same ? "" : ", sides differ"}`,
    );
  };
  await check("first sync (imports every member)", await sync());
  await check("no-change resync", await sync(), TARGETS.noChange);
  const changed = await editMemberships(phone, pc, Math.round(photos / 100));
  await check(`resync after ${changed} membership changes (1 %)`, await sync(), TARGETS.edited);

  const table = [
    "| scenario | Cradle s | target | peak RSS MB (target < 300) | result |",
    "|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.target === undefined ? "–" : `< ${r.target} s`} | ${r.rssMb?.toFixed(0) ?? "n/a"} | ${r.ok ? "ok" : "missed"}, ${r.note} |`,
    ),
  ].join("\n");
  const section = `<!-- bench:photos -->
## Photo albums

${photos.toLocaleString("en")} photos (8×8 JPEGs) in ${albums} albums (about ${photos.toLocaleString("en")} memberships, two of them in nested folders) on a virtual iPhone, synced
with an empty \`albums:\` folder: \`node dist/cli/main.js sync photos ios:PHONE albums:DIR --state S --json\`.
The 1 % run changes memberships half on the phone (rows of the album–asset join table added and
removed, as Photos does) and half in the folders (files moved out of one album folder, copies put
into another). "sides agree" means \`show photos\` lists the same albums with the same counts on both.
Run: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, Node ${process.version}.

${table}
<!-- /bench:photos -->`;
  return { section, ok: rows.every((r) => r.ok) };
}

async function sameAlbums(main: string, phone: string, pc: string): Promise<boolean> {
  const show = (spec: string) =>
    spawnSync(process.execPath, [main, "show", "photos", spec, "--json"], {
      encoding: "utf8",
      maxBuffer: 1 << 26,
    }).stdout;
  const norm = (text: string) =>
    JSON.stringify(
      (JSON.parse(text) as { title: string; folder: string; count: number }[])
        .map((a) => `${a.folder}/${a.title}:${a.count}`)
        .sort(),
    );
  return norm(show(`ios:${phone}`)) === norm(show(`albums:${pc}`));
}

/** Changes n memberships: n/2 on the phone (SQL, as Photos does), n/2 in the album folders. */
async function editMemberships(phone: string, pc: string, n: number): Promise<number> {
  const rng = new Rng(42);
  const random = () => rng.next();
  const db = join(phone, "Media", "PhotoData", "Photos.sqlite");
  const half = Math.floor(n / 2);
  const statements: string[] = ["BEGIN;"];
  for (let i = 0; i < half; i++) {
    const asset = 1 + Math.floor(random() * 1000);
    if (i % 2 === 0)
      statements.push(
        `INSERT OR IGNORE INTO Z_33ASSETS (Z_33ALBUMS, Z_3ASSETS, Z_FOK_3ASSETS) SELECT Z_PK, ${asset}, 99999999 FROM ZGENERICALBUM WHERE ZKIND = 2 ORDER BY Z_PK LIMIT 1 OFFSET ${i % 150};`,
      );
    else
      statements.push(
        `DELETE FROM Z_33ASSETS WHERE rowid = (SELECT rowid FROM Z_33ASSETS ORDER BY rowid LIMIT 1 OFFSET ${Math.floor(random() * 40000)});`,
      );
  }
  statements.push("COMMIT;");
  const r = spawnSync("sqlite3", [db], { input: statements.join("\n"), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  const dirs = (await readdir(pc, { withFileTypes: true })).filter(
    (d) => d.isDirectory() && !d.name.startsWith("."),
  );
  const trash = join(pc, "..", "removed");
  await mkdir(trash, { recursive: true });
  for (let i = 0; i < n - half; i++) {
    const from = join(pc, (dirs[Math.floor(random() * dirs.length)] as { name: string }).name);
    const files = (await readdir(from)).filter((f) => f.endsWith(".JPG"));
    const file = files[Math.floor(random() * files.length)];
    if (!file) continue;
    if (i % 2 === 0) await rename(join(from, file), join(trash, `${i}-${file}`));
    else {
      const to = join(pc, (dirs[Math.floor(random() * dirs.length)] as { name: string }).name);
      await copyFile(join(from, file), join(to, `copy-${i}-${file}`));
    }
  }
  return n;
}

/** The page with the photos section replaced, or appended when it has none yet. */
export function withPhotosSection(page: string, section: string): string {
  return withSection(page, "photos", section);
}
