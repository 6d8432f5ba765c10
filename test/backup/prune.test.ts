import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backup } from "../../src/backup/archiver.js";
import { verify } from "../../src/backup/checker.js";
import { forget } from "../../src/backup/prune.js";
import { Repository } from "../../src/backup/repository/repository.js";
import { restore } from "../../src/backup/restorer.js";
import { listSnapshots, type Snapshot } from "../../src/backup/snapshot.js";
import { IosTreeSource } from "../../src/backup/sources/ios-tree.js";
import { IosTreeTarget } from "../../src/backup/targets/ios-tree.js";
import { describeTree, EXCLUDED_IN_PHONE, makePhone, tempDir, writeIn } from "./phone-tree.js";

describe("forget --prune", () => {
  it("frees what only forgotten snapshots used and keeps the rest restorable", async () => {
    const root = await tempDir("prune");
    const phone = join(root, "phone");
    makePhone(phone);
    const repoDir = join(root, "repo");
    const open = () => Repository.open({ root: repoDir, packSize: 128 * 1024 });
    await Repository.create({ root: repoDir });
    const photo = "Media/DCIM/100APPLE/IMG_0900.JPG";
    writeIn(phone, photo, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(400_000)]));
    await backup({
      repo: await open(),
      source: new IosTreeSource(phone),
      now: () => new Date("2026-01-01T12:00:00Z"),
    });
    rmSync(join(phone, photo));
    await backup({
      repo: await open(),
      source: new IosTreeSource(phone),
      now: () => new Date("2026-01-02T12:00:00Z"),
    });

    const dry = await forget({ repo: await open(), policy: { last: 1 }, prune: true, dryRun: true });
    expect(dry.remove).toHaveLength(1);
    expect(await listSnapshots(await open())).toHaveLength(2);

    const report = await forget({ repo: await open(), policy: { last: 1 }, prune: true });
    expect(report.prune?.bytesFreed).toBeGreaterThan(400_000);
    const repo = await open();
    const [kept] = await listSnapshots(repo);
    expect(kept?.time).toBe("2026-01-02T12:00:00.000Z");
    expect((await verify({ repo, readData: true })).problems).toEqual([]);
    const out = join(root, "restored");
    await restore({ repo, snapshot: kept as Snapshot, target: new IosTreeTarget(out) });
    expect(describeTree(out)).toEqual(describeTree(phone, EXCLUDED_IN_PHONE));
  });
});
