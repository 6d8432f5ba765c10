/**
 * The backup keybag (Manifest.plist BackupKeyBag, data-formats.md §1.7): a stream of TLV blocks,
 * each a 4-byte ASCII tag, a 4-byte big-endian length and the value (4-byte values are big-endian
 * integers). Header blocks come first; each UUID after the first opens a protection class entry
 * (CLAS, WRAP, KTYP, WPKY). The password unlocks the class keys:
 *   k1 = PBKDF2-HMAC-SHA256(password, DPSL, DPIC), key = PBKDF2-HMAC-SHA1(k1, SALT, ITER)
 * (iOS 10.2 and earlier have no DPSL/DPIC: only the SHA-1 round, on the password itself), then
 * classKey = unwrap(key, WPKY) for every class wrapped by the passcode (WRAP bit 2).
 */
import { pbkdf2 } from "node:crypto";
import { promisify } from "node:util";
import { BackupError } from "../../adapters/backup-folder/errors.js";
import { unwrapKey } from "./key-wrap.js";

const pbkdf2Async = promisify(pbkdf2);

/** WRAP bit: the class key is wrapped by the key derived from the backup password. */
export const WRAP_PASSCODE = 2;

export interface KeyBagClass {
  protectionClass: number;
  wrap: number;
  keyType: number;
  wrappedKey: Uint8Array;
}

export interface KeyBag {
  version: number;
  type: number;
  uuid: Uint8Array;
  /** Present in every backup keybag; Cradle carries it but nothing here needs it. */
  hmck?: Uint8Array;
  wrap: number;
  salt: Uint8Array;
  iterations: number;
  /** The SHA-256 round (iOS 10.2 and later). */
  passwordSalt?: Uint8Array;
  passwordIterations?: number;
  passwordWrapType?: number;
  classes: KeyBagClass[];
}

/** The keybag cannot be read at all: the backup's Manifest.plist is damaged. */
export class KeyBagError extends BackupError {}

/** The password does not unlock the keybag. */
export class WrongPasswordError extends BackupError {}

export function parseKeyBag(bytes: Uint8Array, where: string): KeyBag {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (why: string) =>
    new KeyBagError(`${where}: the BackupKeyBag ${why}; the backup's Manifest.plist is damaged.`);
  const header: Record<string, Buffer> = {};
  const classes: Record<string, Buffer>[] = [];
  let uuids = 0;
  for (let at = 0; at < buf.length; ) {
    if (at + 8 > buf.length) throw fail(`ends inside a block header at byte ${at}`);
    const tag = buf.toString("latin1", at, at + 4);
    const length = buf.readUInt32BE(at + 4);
    if (at + 8 + length > buf.length) throw fail(`block ${tag} at byte ${at} runs past its end`);
    const value = buf.subarray(at + 8, at + 8 + length);
    at += 8 + length;
    if (tag === "UUID" && uuids++ > 0) classes.push({});
    const current = classes[classes.length - 1];
    (current ?? header)[tag] = value;
  }
  const int = (block: Record<string, Buffer>, tag: string, required = true): number | undefined => {
    const value = block[tag];
    if (!value) {
      if (required) throw fail(`has no ${tag}`);
      return undefined;
    }
    if (value.length !== 4) throw fail(`has a ${tag} of ${value.length} bytes, not 4`);
    return value.readUInt32BE(0);
  };
  const data = (block: Record<string, Buffer>, tag: string): Buffer => {
    const value = block[tag];
    if (!value) throw fail(`has no ${tag}`);
    return value;
  };
  const type = int(header, "TYPE") as number;
  // Type 1 is a backup keybag; anything past 3 is not a keybag this format knows.
  if (type > 3) throw fail(`has TYPE ${type}, which is not a backup keybag`);
  const hasSha256Round = header.DPSL !== undefined;
  return {
    version: int(header, "VERS") as number,
    type,
    uuid: data(header, "UUID"),
    hmck: header.HMCK,
    wrap: int(header, "WRAP", false) ?? 0,
    salt: data(header, "SALT"),
    iterations: int(header, "ITER") as number,
    passwordSalt: hasSha256Round ? data(header, "DPSL") : undefined,
    passwordIterations: hasSha256Round ? int(header, "DPIC") : undefined,
    passwordWrapType: int(header, "DPWT", false),
    classes: classes.map((block) => ({
      protectionClass: int(block, "CLAS") as number,
      wrap: int(block, "WRAP") as number,
      keyType: int(block, "KTYP", false) ?? 0,
      wrappedKey: data(block, "WPKY"),
    })),
  };
}

/** Serializes a keybag in the block order devices write (header, then one entry per class). */
export function encodeKeyBag(bag: KeyBag): Buffer {
  const blocks: Buffer[] = [];
  const put = (tag: string, value: Uint8Array) => {
    const head = Buffer.alloc(8);
    head.write(tag, 0, "latin1");
    head.writeUInt32BE(value.length, 4);
    blocks.push(head, Buffer.from(value));
  };
  const putInt = (tag: string, value: number) => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(value, 0);
    put(tag, bytes);
  };
  putInt("VERS", bag.version);
  putInt("TYPE", bag.type);
  put("UUID", bag.uuid);
  if (bag.hmck) put("HMCK", bag.hmck);
  putInt("WRAP", bag.wrap);
  put("SALT", bag.salt);
  putInt("ITER", bag.iterations);
  if (bag.passwordSalt && bag.passwordIterations !== undefined) {
    putInt("DPWT", bag.passwordWrapType ?? 1);
    putInt("DPIC", bag.passwordIterations);
    put("DPSL", bag.passwordSalt);
  }
  for (const entry of bag.classes) {
    put("UUID", bag.uuid);
    putInt("CLAS", entry.protectionClass);
    putInt("WRAP", entry.wrap);
    putInt("KTYP", entry.keyType);
    put("WPKY", entry.wrappedKey);
  }
  return Buffer.concat(blocks);
}

/** The key that unwraps the class keys: the double PBKDF2 (or the single SHA-1 round of old backups). */
export async function derivePasswordKey(bag: KeyBag, password: string): Promise<Buffer> {
  let secret: Buffer = Buffer.from(password, "utf8");
  if (bag.passwordSalt && bag.passwordIterations !== undefined)
    secret = await pbkdf2Async(secret, bag.passwordSalt, bag.passwordIterations, 32, "sha256");
  return pbkdf2Async(secret, bag.salt, bag.iterations, 32, "sha1");
}

/** Class number → 32-byte class key. Throws WrongPasswordError when any passcode-wrapped key fails its check. */
export function unlockClassKeys(bag: KeyBag, passwordKey: Uint8Array, where: string): Map<number, Buffer> {
  const keys = new Map<number, Buffer>();
  for (const entry of bag.classes) {
    if ((entry.wrap & WRAP_PASSCODE) === 0) continue;
    const key = unwrapKey(passwordKey, entry.wrappedKey);
    if (!key)
      throw new WrongPasswordError(
        `${where}: the password does not open this encrypted backup (the keybag's class keys fail their check). Give the password the backup was made with.`,
      );
    keys.set(entry.protectionClass, key);
  }
  return keys;
}
