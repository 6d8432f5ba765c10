import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backup } from "../../src/backup/archiver.js";
import { openSource, openTarget } from "../../src/backup/locations.js";
import { Repository } from "../../src/backup/repository/repository.js";
import { restore } from "../../src/backup/restorer.js";
import { loadTree, type SnapshotEntry } from "../../src/backup/snapshot.js";
import { makePhone, tempDir } from "./phone-tree.js";

/** What a backup folder keeps of an entry: MBFile times are whole seconds. */
const kept = (e: SnapshotEntry) => ({ ...e, mtime: Math.floor(e.mtime / 1000) });

describe("restore to backup:DIR and back", () => {
  it("export followed by re-import gives the same snapshot", async () => {
    const root = await tempDir("export");
    const phone = join(root, "phone");
    makePhone(phone);
    const repo = await Repository.create({ root: join(root, "repo") });
    const first = await backup({ repo, source: openSource(`ios:${phone}`) });
    await restore({ repo, snapshot: first.snapshot, target: openTarget(`backup:${join(root, "export")}`) });
    const again = await backup({ repo, source: openSource(`backup:${join(root, "export")}`) });

    expect(again.snapshot.device).toEqual(first.snapshot.device);
    // The content deduplicated: only a new tree is stored.
    expect(again.storedBytes).toBeLessThan(again.snapshot.bytes / 20);
    const before = (await loadTree(repo, first.snapshot)).map(kept);
    const after = (await loadTree(repo, again.snapshot)).map(kept);
    expect(after).toEqual(before);
  });
});
