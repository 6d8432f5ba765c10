import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backup } from "../../src/backup/archiver.js";
import { Repository } from "../../src/backup/repository/repository.js";
import { restore } from "../../src/backup/restorer.js";
import { loadTree } from "../../src/backup/snapshot.js";
import { IosTreeSource } from "../../src/backup/sources/ios-tree.js";
import { IosTreeTarget } from "../../src/backup/targets/ios-tree.js";
import { describeTree, EXCLUDED_IN_PHONE, makePhone, tempDir } from "./phone-tree.js";

describe("ios:DIR → backup → restore", () => {
  for (const password of [undefined, "correct horse"]) {
    it(`gives a byte-identical tree with modes and mtimes (${password ? "encrypted" : "plain"})`, async () => {
      const root = await tempDir("roundtrip");
      const phone = join(root, "phone");
      makePhone(phone);
      const repo = await Repository.create({ root: join(root, "repo"), password });
      const summary = await backup({ repo, source: new IosTreeSource(phone) });
      expect(summary.snapshot.device.productVersion).toBe("18.1");
      const tree = await loadTree(repo, summary.snapshot);
      expect(tree.some((e) => e.relativePath.startsWith("Library/Caches"))).toBe(false);
      expect(tree.find((e) => e.relativePath === "Media/DCIM/100APPLE/IMG_0000.JPG")?.domain).toBe(
        "CameraRollDomain",
      );

      const out = join(root, "restored");
      const reopened = await Repository.open({ root: join(root, "repo"), password });
      await restore({ repo: reopened, snapshot: summary.snapshot, target: new IosTreeTarget(out) });
      expect(describeTree(out)).toEqual(describeTree(phone, EXCLUDED_IN_PHONE));
    });
  }
});
