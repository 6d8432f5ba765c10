/** Test fixtures for the backup tests: a small phone home tree, and a way to compare trees. */
import { createHash, randomBytes } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { createVirtualDevice } from "../../src/device/virtual/create.js";

export const tempDir = (prefix: string) => mkdtemp(join(tmpdir(), `cradle-${prefix}-`));

export function writeIn(root: string, rel: string, data: string | Uint8Array, mtime?: Date): void {
  const full = join(root, rel);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, data);
  if (mtime) utimesSync(full, mtime, mtime);
}

/** A virtual iPhone plus photos, an sms.db, plists, a symlink and a cache that must be left out. */
export function makePhone(dir: string, seed = "phone"): void {
  createVirtualDevice(dir, { sample: 5, seed });
  const when = new Date("2026-11-01T10:00:00Z");
  for (let i = 0; i < 3; i++)
    writeIn(
      dir,
      `Media/DCIM/100APPLE/IMG_000${i}.JPG`,
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(300_000 + i * 1000)]),
      when,
    );
  for (let i = 0; i < 20; i++)
    writeIn(
      dir,
      `Library/Preferences/com.example.app${i}.plist`,
      `<plist><dict><key>n</key><integer>${i}</integer></dict></plist>`,
      when,
    );
  writeIn(dir, "Library/Caches/com.apple.cache/blob", "rebuildable");
  writeIn(dir, "tmp/scratch", "temporary");
  symlinkSync("../Preferences/com.example.app1.plist", join(dir, "Library/Preferences/link.plist"));
  // A few thousand more messages, so that sms.db spans many pages, as a real one does.
  const db = new Database(join(dir, "Library/SMS/sms.db"));
  const insert = db.prepare("INSERT INTO message (guid, text, date) VALUES (?, ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < 3000; i++)
      insert.run(`BULK-${i}`, `message ${i} ${randomBytes(40).toString("hex")}`, i);
  })();
  db.close();
}

/** Scattered in-place updates to sms.db, the way Messages changes it. */
export function touchMessages(dir: string, rows: number[]): void {
  const db = new Database(join(dir, "Library/SMS/sms.db"));
  const update = db.prepare("UPDATE message SET text = ? WHERE ROWID = ?");
  for (const row of rows) update.run(`edited ${row} ${randomBytes(40).toString("hex")}`, row);
  db.close();
}

/** path → "kind mode mtime sha256|target" for every entry under root, skipping `skip` prefixes. */
export function describeTree(root: string, skip: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (skip.some((s) => path === s || path.startsWith(`${s}/`))) continue;
      const full = join(root, path);
      const info = lstatSync(full);
      const mode = (info.mode & 0o7777).toString(8);
      if (info.isSymbolicLink()) out.set(path, `link ${readlinkSync(full)}`);
      else if (info.isDirectory()) {
        out.set(path, `dir ${mode} ${Math.round(info.mtimeMs)}`);
        walk(path);
      } else
        out.set(
          path,
          `file ${mode} ${Math.round(info.mtimeMs)} ${createHash("sha256").update(readFileSync(full)).digest("hex")}`,
        );
    }
  };
  walk("");
  return out;
}

export const EXCLUDED_IN_PHONE = ["Library/Caches", "tmp", "Library/Lockdown"];
