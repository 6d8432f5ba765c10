import { existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { backup } from "../../src/backup/archiver.js";
import { Repository } from "../../src/backup/repository/repository.js";
import { restore } from "../../src/backup/restorer.js";
import { encodeTree, type Snapshot, type SnapshotEntry } from "../../src/backup/snapshot.js";
import { IosTreeTarget } from "../../src/backup/targets/ios-tree.js";
import type { BackupSource, TreeEntry } from "../../src/backup/tree.js";
import { tempDir } from "./phone-tree.js";

const file = (relativePath: string, chunks: string[] = []): SnapshotEntry => ({
  domain: "HomeDomain",
  relativePath,
  kind: "file",
  mode: 0o644,
  mtime: 1_700_000_000_000,
  size: 5,
  chunks,
});
const link = (relativePath: string, linkTarget: string): SnapshotEntry => ({
  domain: "HomeDomain",
  relativePath,
  kind: "symlink",
  mode: 0o755,
  mtime: 1_700_000_000_000,
  size: linkTarget.length,
  linkTarget,
});

/** A snapshot written straight into the repository, as a hostile or damaged one could be. */
async function craft(entries: SnapshotEntry[]) {
  const root = await tempDir("hostile");
  const repo = await Repository.create({ root: join(root, "repo") });
  const { id: data } = await repo.saveBlob(Buffer.from("hello"), false);
  const { id: tree } = await repo.saveBlob(
    encodeTree(entries.map((e) => (e.kind === "file" ? { ...e, chunks: [data] } : e))),
    true,
  );
  await repo.flush();
  const body = {
    time: new Date().toISOString(),
    device: { udid: "x", name: "x" },
    source: "test",
    tree,
    files: 1,
    dirs: 0,
    bytes: 5,
    missing: [],
  };
  const snapshot: Snapshot = { ...body, id: await repo.saveSnapshotJson(body) };
  const target = join(root, "target");
  return { root, repo, snapshot, target };
}

/** Everything in `root` except the repository and the target. */
const strays = (root: string) => readdirSync(root).filter((n) => n !== "repo" && n !== "target");

describe("restore refuses to write outside its target", () => {
  const cases: [string, SnapshotEntry[]][] = [
    ["a path with ..", [file("Library/../../evil")]],
    ["an absolute path", [file("/tmp/evil")]],
    ["a link that leads out", [link("Library/out", "../../..")]],
    ["an absolute link", [link("Library/out", "/etc")]],
    ["a file under a link", [link("Library/in", "Preferences"), file("Library/in/evil")]],
  ];
  for (const [what, entries] of cases) {
    it(`refuses ${what} and leaves nothing behind`, async () => {
      const { root, repo, snapshot, target } = await craft(entries);
      await expect(restore({ repo, snapshot, target: new IosTreeTarget(target) })).rejects.toMatchObject({
        code: "UnsafePathError",
      });
      expect(strays(root)).toEqual([]);
      expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
    });
  }

  it("does not follow a symbolic link already in the target", async () => {
    const { root, repo, snapshot, target } = await craft([file("Library/evil")]);
    const outside = join(root, "outside");
    mkdirSync(outside);
    mkdirSync(target);
    symlinkSync(outside, join(target, "Library"));
    await expect(restore({ repo, snapshot, target: new IosTreeTarget(target) })).rejects.toMatchObject({
      code: "UnsafePathError",
    });
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(target)).toEqual(["Library"]);
  });

  it("refuses a source that names an escaping path, before storing anything", async () => {
    const root = await tempDir("hostile-source");
    const repo = await Repository.create({ root });
    const entry: TreeEntry = {
      domain: "HomeDomain",
      relativePath: "../escape",
      kind: "file",
      mode: 0o644,
      mtime: 0,
      size: 1,
    };
    const source: BackupSource = {
      uri: "test:hostile",
      device: async () => ({ udid: "x", name: "x" }),
      async *entries() {
        yield entry;
      },
      open: async () => Readable.from([Buffer.from("x")]),
      missing: () => [],
    };
    await expect(backup({ repo, source })).rejects.toMatchObject({ code: "UnsafePathError" });
    expect(await repo.packFiles()).toEqual([]);
  });
});
