import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BackupFolderSource,
  BackupFolderTarget,
  createBackupEncrypter,
} from "../../src/backup/ios-backup/index.js";
import { dir, exportItems, file, type Item, link, readItems, sorted } from "../backup/ios-backup/trees.js";

/**
 * Cradle's exports read by an independent reader (read_ios_backup.py: Python's plistlib and
 * sqlite3 and python3-cryptography, written from the published format). Skipped with a reason
 * when python3-cryptography is missing, except under CI=true.
 */
const READER = resolve("test/interop/read_ios_backup.py");
const WRITER = resolve("test/interop/write_ios_backup.py");
const hasPeer = spawnSync("python3", ["-c", "import cryptography"]).status === 0;
const peer = hasPeer || process.env.CI === "true" ? it : it.skip;
if (!hasPeer)
  console.warn(
    "skipped: python3 with the cryptography module not installed (apt-get install python3-cryptography)",
  );

const ITEMS: Item[] = [
  dir("HomeDomain", ""),
  dir("HomeDomain", "Library"),
  file("HomeDomain", "Library/SMS/sms.db", Buffer.alloc(50_000, 1)),
  file("HomeDomain", "Library/block", "0123456789abcdef"),
  file("HomeDomain", "Library/empty", ""),
  file("HomeDomain", "Library/Ünïcødé.plist", "<plist/>"),
  link("HomeDomain", "Library/link", "SMS/sms.db"),
  file("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC", "image"),
];

const TYPE_BITS = { file: 0o100000, dir: 0o040000, symlink: 0o120000 };

function expected(items: Item[]) {
  return sorted(items).map(({ entry, content }) => ({
    domain: entry.domain,
    relativePath: entry.relativePath,
    flags: { file: 1, dir: 2, symlink: 4 }[entry.kind],
    mode: TYPE_BITS[entry.kind] | entry.mode,
    mtime: entry.mtime / 1000,
    size: entry.size,
    ...(content ? { sha256: createHash("sha256").update(content).digest("hex") } : {}),
    ...(entry.linkTarget ? { target: entry.linkTarget } : {}),
  }));
}

function readWithPython(folder: string, password?: string): unknown {
  const run = spawnSync("python3", [READER, folder, ...(password ? [password] : [])], { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

describe("exports read by an independent Python reader", () => {
  peer("a plain export: rows, MBFile records and contents", async () => {
    const target = join(mkdtempSync(join(tmpdir(), "cradle-py-")), "backup");
    await exportItems(new BackupFolderTarget(target), ITEMS);
    expect(readWithPython(target)).toEqual(expected(ITEMS));
  });

  peer("an encrypted export: keybag, PBKDF2, key unwrap and AES-CBC as published", async () => {
    const target = join(mkdtempSync(join(tmpdir(), "cradle-py-")), "backup");
    const sealer = await createBackupEncrypter("pässword", { passwordIterations: 2000, iterations: 50 });
    await exportItems(new BackupFolderTarget(target, { sealer }), ITEMS);
    expect(readWithPython(target, "pässword")).toEqual(expected(ITEMS));
  });

  peer("an encrypted backup written by the Python writer imports with its password", async () => {
    const folder = join(mkdtempSync(join(tmpdir(), "cradle-py-")), "backup");
    const files = sorted(ITEMS.filter((item) => item.entry.kind === "file"));
    const spec = files.map(({ entry, content }) => ({
      domain: entry.domain,
      relativePath: entry.relativePath,
      mode: entry.mode,
      mtime: entry.mtime / 1000,
      hex: content?.toString("hex") ?? "",
    }));
    const run = spawnSync("python3", [WRITER, folder, "pässword", "3000", "70"], {
      input: JSON.stringify(spec),
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    const source = new BackupFolderSource(folder, { password: "pässword" });
    try {
      expect(await readItems(source)).toEqual(files);
      expect(await source.device()).toMatchObject({
        udid: "PYTHON-UDID",
        name: "Python iPhone",
        productVersion: "17.5",
      });
    } finally {
      await source.close();
    }
    await expect(readItems(new BackupFolderSource(folder, { password: "wrong" }))).rejects.toMatchObject({
      code: "WrongPasswordError",
    });
  });
});
