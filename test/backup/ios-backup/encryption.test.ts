import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseBinary } from "plist";
import { describe, expect, it } from "vitest";
import { backupFileId } from "../../../src/adapters/backup-folder/manifest.js";
import { decryptingStream } from "../../../src/backup/ios-backup/content-cipher.js";
import {
  BackupFolderSource,
  BackupFolderTarget,
  createBackupEncrypter,
} from "../../../src/backup/ios-backup/index.js";
import { unwrapKey, wrapKey } from "../../../src/backup/ios-backup/key-wrap.js";
import {
  derivePasswordKey,
  encodeKeyBag,
  parseKeyBag,
  unlockClassKeys,
} from "../../../src/backup/ios-backup/keybag.js";
import { PYIOSBACKUP_KEYBAG, PYIOSBACKUP_VECTOR } from "../../fixtures/ios-backup/pyiosbackup-vector.js";
import { dir, exportItems, file, link, readItems, sorted } from "./trees.js";

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ""), "hex");
/** Fast derivation for tests; the defaults (10,000,000 and 10,000 rounds) are what devices use. */
const FAST = { passwordIterations: 1000, iterations: 100 };
const PASSWORD = "correct horse battery staple";

const ITEMS = [
  dir("HomeDomain", "Library"),
  file("HomeDomain", "Library/SMS/sms.db", Buffer.alloc(40_000, 3)),
  file("HomeDomain", "Library/sixteen", "0123456789abcdef"),
  file("HomeDomain", "Library/empty", ""),
  link("HomeDomain", "Library/link", "SMS/sms.db"),
  file("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC", Buffer.from("heic bytes")),
];

async function encryptedBackup(items = ITEMS) {
  const target = join(mkdtempSync(join(tmpdir(), "cradle-enc-")), "backup");
  await exportItems(
    new BackupFolderTarget(target, { sealer: await createBackupEncrypter(PASSWORD, FAST) }),
    items,
  );
  return target;
}

async function importWith(target: string, password?: string) {
  const source = new BackupFolderSource(target, { password });
  try {
    return await readItems(source);
  } finally {
    await source.close();
  }
}

describe("AES key wrap (RFC 3394)", () => {
  it("matches §4.6: 256 bits of key data with a 256-bit KEK", () => {
    const kek = hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
    const data = hex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
    const wrapped = hex(
      "28C9F404C4B810F4 CBCCB35CFB87F826 3F5786E2D80ED326 CBC7F0E71A99F43B FB988B9B7A02DD21",
    );
    expect(wrapKey(kek, data)).toEqual(wrapped);
    expect(unwrapKey(kek, wrapped)).toEqual(data);
    const wrongKek = Buffer.from(kek);
    wrongKek[0] = 1;
    expect(unwrapKey(wrongKek, wrapped)).toBeUndefined();
  });
});

describe("the published pyiosbackup vector (password 0000)", () => {
  it("parses the keybag, derives the key in two PBKDF2 rounds and unwraps every class key to zeros", async () => {
    const bag = parseKeyBag(PYIOSBACKUP_KEYBAG, "vector");
    expect(bag.passwordIterations).toBe(10_000_000);
    expect(bag.iterations).toBe(10_000);
    expect(bag.classes.map((c) => c.protectionClass)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(encodeKeyBag(bag)).toEqual(PYIOSBACKUP_KEYBAG);
    const keys = unlockClassKeys(bag, await derivePasswordKey(bag, "0000"), "vector");
    expect([...keys.values()].every((key) => key.equals(Buffer.alloc(32)))).toBe(true);
    expect(keys.size).toBe(11);
  }, 20_000);

  it("unwraps the class-2 file key and decrypts the known ciphertext to 'Test data'", async () => {
    const fileKey = unwrapKey(Buffer.alloc(32), PYIOSBACKUP_VECTOR.wrappedFileKey.subarray(4)) as Buffer;
    expect(PYIOSBACKUP_VECTOR.wrappedFileKey.readInt32LE(0)).toBe(2);
    const stream = decryptingStream(fileKey, 9, "vector");
    stream.end(PYIOSBACKUP_VECTOR.ciphertext);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("Test data");
  });
});

describe("encrypted backups", () => {
  it("an export made with a password imports with it: same entries, same bytes", async () => {
    const target = await encryptedBackup();
    expect(await importWith(target, PASSWORD)).toEqual(sorted(ITEMS));
  });

  it("stores nothing in the clear: Manifest.db and content files are ciphertext, Manifest.plist has the keys", async () => {
    const target = await encryptedBackup();
    expect(readFileSync(join(target, "Manifest.db")).subarray(0, 15).toString()).not.toBe("SQLite format 3");
    const id = backupFileId("HomeDomain", "Library/SMS/sms.db");
    const stored = readFileSync(join(target, id.slice(0, 2), id));
    expect(stored.length).toBe(40_016);
    expect(stored.includes(Buffer.alloc(64, 3))).toBe(false);
    const manifest = parseBinary(readFileSync(join(target, "Manifest.plist"))) as Record<string, unknown>;
    expect(manifest.IsEncrypted).toBe(true);
    expect((manifest.ManifestKey as Uint8Array).length).toBe(44);
    const bag = parseKeyBag(manifest.BackupKeyBag as Uint8Array, "test");
    expect(bag.passwordIterations).toBe(FAST.passwordIterations);
    expect(bag.classes).toHaveLength(11);
    expect(readdirSync(target)).toContain("Status.plist");
  });

  it("a wrong password is a clear error, and no password says the backup is encrypted", async () => {
    const target = await encryptedBackup();
    await expect(importWith(target, "wrong")).rejects.toMatchObject({ code: "WrongPasswordError" });
    await expect(importWith(target, "wrong")).rejects.toThrow(/password does not open/);
    await expect(importWith(target)).rejects.toMatchObject({ code: "EncryptedBackupError" });
  });

  it("a damaged content file fails naming it", async () => {
    const target = await encryptedBackup([file("HomeDomain", "a.txt", "some text")]);
    const id = backupFileId("HomeDomain", "a.txt");
    writeFileSync(join(target, id.slice(0, 2), id), Buffer.alloc(16, 9));
    await expect(importWith(target, PASSWORD)).rejects.toThrow(/HomeDomain\/a.txt does not decrypt/);
  });
});
