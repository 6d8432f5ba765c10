/**
 * A seeded phone-like home tree for the backup benchmark: photos and videos (incompressible),
 * SQLite databases built with real inserts (sms.db, Photos.sqlite), and many small plists.
 * Proportions follow a phone: media ~80% of the bytes, databases ~15%, the rest small files.
 */
import { spawnSync } from "node:child_process";
import { createCipheriv, createHash } from "node:crypto";
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { Rng } from "./prng.js";

const MiB = 1024 * 1024;
const MTIME = new Date("2026-11-01T08:00:00Z");

/** Deterministic incompressible bytes: AES-CTR keystream keyed by a label. */
function noise(label: string, length: number): Buffer {
  const key = createHash("sha256").update(label).digest();
  const cipher = createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(length)), cipher.final()]);
}

function put(root: string, rel: string, data: Uint8Array | string): void {
  const full = join(root, rel);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, data);
  utimesSync(full, MTIME, MTIME);
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe1]);
const MOV = Buffer.from("\0\0\0\x14ftypqt  ", "latin1");

export interface TreeStats {
  files: number;
  smsBytes: number;
}

export function photo(root: string, name: string, size: number): void {
  put(root, `Media/DCIM/100APPLE/${name}`, Buffer.concat([JPEG, noise(name, size - JPEG.length)]));
}

/** Writes the tree for `totalBytes` (about; the databases round it). */
export function generatePhoneTree(cli: string, root: string, totalBytes: number, seed: number): TreeStats {
  const rng = new Rng(seed);
  const made = spawnSync(
    process.execPath,
    [cli, "device", "create", root, "--sample", "50", "--seed", String(seed)],
    { encoding: "utf8" },
  );
  if (made.status !== 0) throw new Error(`cradle device create: ${made.stderr}`);
  let media = 0;
  const videoBudget = totalBytes * 0.25;
  for (let i = 0; media < videoBudget; i++) {
    const size = Math.min(rng.int(20, 60) * MiB, Math.ceil(videoBudget - media) + MiB);
    put(
      root,
      `Media/DCIM/100APPLE/IMG_${String(9000 + i)}.MOV`,
      Buffer.concat([MOV, noise(`video${i}`, size - MOV.length)]),
    );
    media += size;
  }
  const photoBudget = totalBytes * 0.78;
  let photos = 0;
  for (; media < photoBudget; photos++) {
    const size = rng.int(800_000, 4_000_000);
    photo(root, `IMG_${String(photos).padStart(4, "0")}.JPG`, size);
    media += size;
  }
  const smsRows = Math.round((totalBytes * 0.15) / 430);
  database(root, "Library/SMS/sms.db", smsRows, rng);
  database(root, "Media/PhotoData/Photos.sqlite", Math.round((totalBytes * 0.04) / 400), rng);
  const plists = Math.max(200, Math.round(totalBytes / MiB) * 8);
  for (let i = 0; i < plists; i++) {
    const keys = rng.int(4, 200);
    const body = Array.from(
      { length: keys },
      (_, k) => `\t<key>key${k}</key>\n\t<string>value ${rng.int(0, 1e9)} of ${i}</string>`,
    ).join("\n");
    put(
      root,
      `Library/Preferences/com.example.app${i % 97}/prefs${i}.plist`,
      `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n${body}\n</dict>\n</plist>\n`,
    );
  }
  return { files: photos + plists, smsBytes: smsRows * 430 };
}

/**
 * Messages-like rows of ~430 bytes on disk (guid, text, an attributedBody blob, two indexes), in
 * the device's own message table when it made one (the virtual iPhone writes a real sms.db).
 * Texts are words of a random vocabulary and attributedBody is keystream, so pages compress about
 * as little as the sms.db did (restic re-stored 38 of its 40 MB after scattered updates).
 */
function database(root: string, rel: string, rows: number, rng: Rng): void {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.exec(
    "PRAGMA journal_mode=DELETE; CREATE TABLE IF NOT EXISTS message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT, handle_id INTEGER DEFAULT 0, attributedBody BLOB, date INTEGER); CREATE INDEX IF NOT EXISTS message_idx_date ON message(date);",
  );
  const insert = db.prepare(
    "INSERT INTO message (guid, text, handle_id, attributedBody, date) VALUES (?, ?, ?, ?, ?)",
  );
  const words = Array.from({ length: 4000 }, () =>
    String.fromCharCode(...Array.from({ length: rng.int(2, 9) }, () => rng.int(97, 122))),
  );
  const body = keystream(rel);
  db.transaction(() => {
    for (let i = 0; i < rows; i++)
      insert.run(
        `${seedHex(rng)}-${i}`,
        sentence(rng, words),
        rng.int(1, 500),
        body(rng.int(150, 250)),
        700_000_000 + i,
      );
  })();
  db.close();
  utimesSync(file, MTIME, MTIME);
}

function sentence(rng: Rng, words: string[]): string {
  const length = rng.int(40, 200);
  let text = "";
  while (text.length < length) text += `${rng.pick(words)} `;
  return text.trimEnd();
}

/** Successive pieces of one AES-CTR keystream: fresh incompressible bytes without a cipher per row. */
function keystream(label: string): (length: number) => Buffer {
  const cipher = createCipheriv("aes-256-ctr", createHash("sha256").update(label).digest(), Buffer.alloc(16));
  return (length) => cipher.update(Buffer.alloc(length));
}

const seedHex = (rng: Rng) => Math.floor(rng.next() * 2 ** 48).toString(16);

/**
 * The "1%" change: scattered row updates and inserts in sms.db (pages rewritten in place
 * throughout the file), two new photos, and a few plists edited.
 */
export function mutatePhoneTree(root: string, seed: number): void {
  const rng = new Rng(seed);
  const db = new Database(join(root, "Library/SMS/sms.db"));
  const count = (db.prepare("SELECT count(*) AS n FROM message").get() as { n: number }).n;
  const update = db.prepare("UPDATE message SET text = ? WHERE ROWID = ?");
  const insert = db.prepare("INSERT INTO message (guid, text, handle_id, date) VALUES (?, ?, ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < 300; i++) update.run(`edited ${i} ${seedHex(rng)}`, rng.int(1, count));
    for (let i = 0; i < 200; i++)
      insert.run(`new-${i}`, `new message ${i} ${seedHex(rng)}`, rng.int(1, 500), 800_000_000 + i);
  })();
  db.close();
  photo(root, "IMG_NEW1.JPG", 2_000_000);
  photo(root, "IMG_NEW2.JPG", 2_200_000);
  for (let i = 0; i < 20; i++)
    put(
      root,
      `Library/Preferences/com.example.app${i}/prefs${i}.plist`,
      `<plist><dict><key>edited</key><string>${seedHex(rng)}</string></dict></plist>\n`,
    );
}
