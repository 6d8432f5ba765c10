import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { backupFileId } from "../../../src/adapters/backup-folder/manifest.js";
import { BackupFolderSource, BackupFolderTarget } from "../../../src/backup/ios-backup/index.js";
import { encodeMBFile } from "../../../src/backup/ios-backup/mbfile.js";
import { dir, exportItems, file, readItems } from "./trees.js";

const tempRoot = () => mkdtempSync(join(tmpdir(), "cradle-ios-backup-hostile-"));

async function exported(
  items = [
    dir("HomeDomain", "Library"),
    file("HomeDomain", "Library/a.txt", "a"),
    file("HomeDomain", "Library/b.txt", "b"),
  ],
) {
  const root = tempRoot();
  const target = join(root, "backup");
  await exportItems(new BackupFolderTarget(target), items);
  return { root, target };
}

/** Adds a row the way a hostile tool would: a consistent fileID for a path that escapes. */
function addRow(target: string, domain: string, relativePath: string, content?: string): void {
  const fileID = backupFileId(domain, relativePath);
  const db = new Database(join(target, "Manifest.db"));
  const blob = encodeMBFile({
    relativePath,
    kind: "file",
    mode: 0o644,
    lastModified: 0,
    birth: 0,
    size: content?.length ?? 0,
    protectionClass: 3,
  });
  db.prepare("INSERT INTO Files VALUES (?, ?, ?, 1, ?)").run(fileID, domain, relativePath, blob);
  db.close();
  if (content === undefined) return;
  mkdirSync(join(target, fileID.slice(0, 2)), { recursive: true });
  writeFileSync(join(target, fileID.slice(0, 2), fileID), content);
}

async function importAll(target: string) {
  const source = new BackupFolderSource(target);
  try {
    return { items: await readItems(source), missing: source.missing() };
  } finally {
    await source.close();
  }
}

describe("backup folder: bad input", () => {
  it("imports what a backup holds and reports the files whose content is gone", async () => {
    const { target } = await exported();
    const gone = backupFileId("HomeDomain", "Library/a.txt");
    unlinkSync(join(target, gone.slice(0, 2), gone));
    const { items, missing } = await importAll(target);
    expect(items.map((item) => item.entry.relativePath)).toEqual(["Library", "Library/b.txt"]);
    expect(missing.map((m) => m.entry.relativePath)).toEqual(["Library/a.txt"]);
    expect(missing[0]?.reason).toMatch(/content file .* is missing/);
  });

  for (const [what, domain, relativePath] of [
    ["a path with ..", "HomeDomain", "../../etc/passwd"],
    ["an absolute path", "HomeDomain", "/etc/passwd"],
    ["a domain with a slash", "Home/../..", "x"],
  ] as const) {
    it(`refuses to import a manifest row with ${what}`, async () => {
      const { target } = await exported();
      addRow(target, domain, relativePath, "x");
      await expect(importAll(target)).rejects.toMatchObject({ code: "UnsafePathError" });
    });

    it(`refuses to export an entry with ${what}, writing nothing`, async () => {
      const root = tempRoot();
      const items = [file("HomeDomain", "ok.txt", "ok"), file(domain, relativePath, "x")];
      await expect(exportItems(new BackupFolderTarget(join(root, "backup")), items)).rejects.toMatchObject({
        code: "UnsafePathError",
      });
      expect(readdirSync(root)).toEqual([]);
    });
  }

  it("refuses a content file that is a symlink leading out of the backup", async () => {
    const { root, target } = await exported();
    const outside = join(root, "secret");
    writeFileSync(outside, "secret");
    const id = backupFileId("HomeDomain", "Library/a.txt");
    rmSync(join(target, id.slice(0, 2), id));
    symlinkSync(outside, join(target, id.slice(0, 2), id));
    await expect(importAll(target)).rejects.toThrow(/leads outside the backup folder/);
  });

  it("refuses a row whose fileID is not sha1 of its path, and one with an unreadable MBFile", async () => {
    const { target } = await exported();
    const db = new Database(join(target, "Manifest.db"));
    db.prepare("UPDATE Files SET file = x'00' WHERE relativePath = 'Library/b.txt'").run();
    db.close();
    await expect(importAll(target)).rejects.toThrow(/Library\/b.txt has an unreadable MBFile record/);
    const db2 = new Database(join(target, "Manifest.db"));
    db2.prepare("UPDATE Files SET fileID = ? WHERE relativePath = 'Library/b.txt'").run("0".repeat(40));
    db2.close();
    await expect(importAll(target)).rejects.toThrow(/not sha1 of its domain and path/);
  });

  it("refuses an entry given twice to one export", async () => {
    const root = tempRoot();
    const twice = [file("HomeDomain", "a", "1"), file("HomeDomain", "a", "2")];
    await expect(exportItems(new BackupFolderTarget(join(root, "b")), twice)).rejects.toMatchObject({
      code: "BackupEntryError",
    });
    expect(readdirSync(root)).toEqual([]);
  });
});
