import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanAlbumsDir } from "../../../src/adapters/photos/albums-dir/scan.js";

function library(): string {
  const root = mkdtempSync(join(tmpdir(), "cradle-scan-"));
  mkdirSync(join(root, "Garden"));
  writeFileSync(join(root, "Garden", "a.jpg"), "aaaa");
  writeFileSync(join(root, "Garden", "b.jpg"), "bb");
  return root;
}

const assetOf = (scan: ReturnType<typeof scanAlbumsDir>, id: string) =>
  scan.library.assets.find((a) => a.id === id);

describe("albums: rescan after a write", () => {
  it("stats a file added to an album directory and drops one that left it", () => {
    const root = library();
    const first = scanAlbumsDir(root);
    writeFileSync(join(root, "Garden", "c.jpg"), "ccccccc");
    renameSync(join(root, "Garden", "b.jpg"), join(root, "b.jpg.gone"));
    const again = scanAlbumsDir(root, first);
    expect(again.library.nodes[0]?.members).toEqual(["Garden/a.jpg", "Garden/c.jpg"]);
    expect(assetOf(again, "Garden/c.jpg")).toMatchObject({ size: 7 });
    expect(assetOf(again, "Garden/a.jpg")).toBe(assetOf(first, "Garden/a.jpg"));
  });

  it("stats every file again in an album directory replaced by another of the same name", () => {
    const root = library();
    const first = scanAlbumsDir(root);
    rmSync(join(root, "Garden"), { recursive: true });
    mkdirSync(join(root, "Garden"));
    writeFileSync(join(root, "Garden", "a.jpg"), "a different photo");
    utimesSync(join(root, "Garden", "a.jpg"), new Date(1e12), new Date(1e12));
    const again = scanAlbumsDir(root, first);
    expect(assetOf(again, "Garden/a.jpg")).toMatchObject({ size: 17, created: 1e12 });
    expect(assetOf(again, "Garden/a.jpg")?.token).not.toBe(assetOf(first, "Garden/a.jpg")?.token);
  });

  it("stats the files of a renamed album directory under their new ids", () => {
    const root = library();
    const first = scanAlbumsDir(root);
    renameSync(join(root, "Garden"), join(root, "Yard"));
    const again = scanAlbumsDir(root, first);
    expect(again.library.assets.map((a) => a.id).sort()).toEqual(["Yard/a.jpg", "Yard/b.jpg"]);
    expect(assetOf(again, "Yard/a.jpg")?.path).toBe(join(root, "Yard", "a.jpg"));
  });
});
