import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backup } from "../../src/backup/archiver.js";
import { verify } from "../../src/backup/checker.js";
import { Repository, type WriteStep } from "../../src/backup/repository/repository.js";
import { listSnapshots, loadTree, type Snapshot } from "../../src/backup/snapshot.js";
import { IosTreeSource } from "../../src/backup/sources/ios-tree.js";
import { makePhone, tempDir, touchMessages, writeIn } from "./phone-tree.js";

/** Every byte under the repository, as `du -b` would count it. */
function repoBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const info = statSync(join(dir, name));
    if (info.isFile()) total += info.size;
  }
  return total;
}

async function setup(packSize?: number) {
  const root = await tempDir("repo");
  const phone = join(root, "phone");
  makePhone(phone);
  const repoDir = join(root, "repo");
  await Repository.create({ root: repoDir });
  return { root, phone, repoDir, open: () => Repository.open({ root: repoDir, packSize }) };
}

/** Blob id → the packs holding it, read from the packs' own headers. */
async function blobHomes(repo: Repository): Promise<Map<string, string[]>> {
  const homes = new Map<string, string[]>();
  for (const pack of await repo.packFiles())
    for (const blob of await repo.readPackHeader(pack))
      homes.set(blob.id, [...(homes.get(blob.id) ?? []), pack]);
  return homes;
}

describe("backup repository", () => {
  it("stores only the changed SQLite pages and the new photo after a 1% change", async () => {
    const { phone, repoDir, open } = await setup();
    await backup({ repo: await open(), source: new IosTreeSource(phone) });
    const first = repoBytes(repoDir);
    touchMessages(phone, [10, 700, 1500, 2200, 2900]);
    writeIn(
      phone,
      "Media/DCIM/100APPLE/IMG_0100.JPG",
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5000, 7)]),
    );
    const second = await backup({ repo: await open(), source: new IosTreeSource(phone) });
    const growth = repoBytes(repoDir) - first;
    // Five scattered rows touch at most five 16 KiB page groups (plus the header page's group),
    // the photo, a new tree and an index: far below the 1.2 MB database.
    expect(growth).toBeLessThan(6 * 16384 + 5003 + 30_000);
    expect(second.dedupBytes).toBeGreaterThan(0);
    expect(second.unchangedFiles).toBeGreaterThan(20);
    const again = await backup({ repo: await open(), source: new IosTreeSource(phone) });
    expect(again.readBytes).toBe(0);
    expect((await verify({ repo: await open(), readData: true })).problems).toEqual([]);
  });

  for (const [step, count] of [
    ["pack", 3],
    ["index", 1],
    ["snapshot", 1],
  ] as [WriteStep, number][]) {
    it(`survives a crash before ${step} write #${count}: valid repository, nothing stored twice`, async () => {
      const { phone, open } = await setup(64 * 1024);
      await backup({ repo: await open(), source: new IosTreeSource(phone) });
      touchMessages(phone, [5, 1000, 2000]);
      for (let i = 0; i < 4; i++)
        writeIn(
          phone,
          `Media/DCIM/100APPLE/IMG_020${i}.JPG`,
          Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(100_000)]),
        );
      writeIn(phone, "Library/Notes/big.txt", "note ".repeat(60_000));
      const crashing = await Repository.open({
        root: (await open()).root,
        packSize: 64 * 1024,
        beforeWrite: (s, n) => {
          if (s === step && n === count) throw new Error("simulated crash");
        },
      });
      await expect(backup({ repo: crashing, source: new IosTreeSource(phone) })).rejects.toThrow(
        "simulated crash",
      );
      expect(await listSnapshots(await open())).toHaveLength(1);
      expect((await verify({ repo: await open(), readData: true })).problems).toEqual([]);

      const resumed = await backup({ repo: await open(), source: new IosTreeSource(phone) });
      // Files in flight when the crash came may have finished a pack more.
      if (step === "pack") expect(resumed.reindexedPacks).toBeGreaterThanOrEqual(count - 1);
      const repo = await open();
      expect(await listSnapshots(repo)).toHaveLength(2);
      const twice = [...(await blobHomes(repo))].filter(([, packs]) => packs.length > 1);
      expect(twice).toEqual([]);
      expect((await verify({ repo, readData: true })).problems).toEqual([]);
    });
  }

  it("keeps the repository valid when the disk fills up", async () => {
    const { phone, open, repoDir } = await setup(64 * 1024);
    await backup({ repo: await open(), source: new IosTreeSource(phone) });
    writeIn(phone, "Library/Notes/more.txt", "x".repeat(300_000));
    const full = await Repository.open({
      root: repoDir,
      beforeWrite: (s) => {
        if (s === "index")
          throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
      },
    });
    await expect(backup({ repo: full, source: new IosTreeSource(phone) })).rejects.toMatchObject({
      code: "RepositoryFullError",
    });
    const repo = await open();
    expect(await listSnapshots(repo)).toHaveLength(1);
    expect((await verify({ repo, readData: true })).problems).toEqual([]);
  });

  it("verify --read-data names the file whose data has a flipped byte", async () => {
    const { phone, open } = await setup();
    await backup({ repo: await open(), source: new IosTreeSource(phone) });
    const repo = await open();
    const tree = await loadTree(repo, (await listSnapshots(repo))[0] as Snapshot);
    const photo = tree.find((e) => e.relativePath === "Media/DCIM/100APPLE/IMG_0001.JPG");
    const at = repo.index.get(photo?.chunks?.[0] as string);
    if (!at) throw new Error("photo chunk not indexed");
    const packFile = repo.paths.pack(at.pack);
    const bytes = readFileSync(packFile);
    const flip = at.offset + Math.floor(at.length / 2);
    bytes[flip] = (bytes[flip] as number) ^ 0x01;
    writeFileSync(packFile, bytes);
    const report = await verify({ repo: await open(), readData: true });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]?.kind).toBe("corrupt-blob");
    expect(report.problems[0]?.files.join()).toContain("CameraRollDomain-Media/DCIM/100APPLE/IMG_0001.JPG");
  });

  it("refuses a wrong password and asks for a missing one, by code", async () => {
    const root = await tempDir("pw");
    await Repository.create({ root, password: "right" });
    await expect(Repository.open({ root, password: "wrong" })).rejects.toMatchObject({
      code: "WrongPasswordError",
    });
    await expect(Repository.open({ root })).rejects.toMatchObject({ code: "PasswordRequiredError" });
    await expect(Repository.open({ root, password: "right" })).resolves.toBeInstanceOf(Repository);
    expect(statSync(join(root, "config")).mode & 0o777).toBe(0o600);
  });

  it("keeps two writers apart and takes over a lock whose process is gone", async () => {
    const { phone, repoDir, open } = await setup();
    const lock = join(repoDir, "locks", "writer.lock");
    const host = (await import("node:os")).hostname();
    writeFileSync(lock, `${process.ppid} ${host}`);
    await expect(backup({ repo: await open(), source: new IosTreeSource(phone) })).rejects.toMatchObject({
      code: "StateLockedError",
    });
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    }).stdout;
    writeFileSync(lock, `${gone} ${host}`);
    await expect(backup({ repo: await open(), source: new IosTreeSource(phone) })).resolves.toBeDefined();
  });
});

describe("Repository blob store", () => {
  it("stores blobs saved at once, each once, and indexes them all", async () => {
    const { open } = await setup(64 * 1024);
    const repo = await open();
    const blobs = Array.from({ length: 24 }, (_, i) => randomBytes(8_000 + i * 1_000));
    // Every blob twice, all at once: the second call of each must find the first one pending.
    const saved = await Promise.all([...blobs, ...blobs].map((b, i) => repo.saveBlob(b, i % 2 === 0)));
    expect(saved.filter((s) => s.stored > 0)).toHaveLength(blobs.length);
    await repo.flush();
    const again = await open();
    for (const [i, b] of blobs.entries())
      expect((await again.loadBlob(saved[i]?.id as string)).equals(b)).toBe(true);
    expect([...(await blobHomes(again)).values()].every((packs) => packs.length === 1)).toBe(true);
  });

  it("keeps this run's packs in the index that rewriteIndex writes (prune copies fill packs)", async () => {
    const { open } = await setup(16 * 1024);
    const repo = await open();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await repo.saveBlob(randomBytes(20_000), false)).id);
    const replaced = [...repo.indexFiles.keys()];
    await repo.rewriteIndex(new Map(), replaced);
    const again = await open();
    for (const id of ids) expect(again.has(id)).toBe(true);
  });
});
