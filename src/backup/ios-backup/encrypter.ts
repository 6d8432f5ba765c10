/**
 * Makes an export encrypted with a password, the way a device encrypts its backups (the format
 * unlock.ts reads): a fresh keybag whose class keys are wrapped under the password key, a fresh
 * key per content file and for Manifest.db, each wrapped under protection class 3.
 */
import { randomBytes } from "node:crypto";
import { encryptingStream, encryptManifestDb } from "./content-cipher.js";
import type { ContentSealer } from "./folder-target.js";
import { wrapKey } from "./key-wrap.js";
import { derivePasswordKey, encodeKeyBag, type KeyBag, WRAP_PASSCODE } from "./keybag.js";

export interface EncrypterOptions {
  /** PBKDF2-SHA256 rounds (DPIC). Default 10,000,000, as in published device keybags. */
  passwordIterations?: number;
  /** PBKDF2-SHA1 rounds (ITER). Default 10,000. */
  iterations?: number;
}

/** Classes 1-11, as a device's backup keybag lists them. */
const CLASSES = Array.from({ length: 11 }, (_, i) => i + 1);
/** NSFileProtectionCompleteUntilFirstUserAuthentication: what most device files carry. */
const FILE_CLASS = 3;

const withClass = (protectionClass: number, wrapped: Buffer): Buffer => {
  const head = Buffer.alloc(4);
  head.writeInt32LE(protectionClass, 0);
  return Buffer.concat([head, wrapped]);
};

export async function createBackupEncrypter(
  password: string,
  options: EncrypterOptions = {},
): Promise<ContentSealer> {
  const classKeys = new Map(CLASSES.map((c) => [c, randomBytes(32)]));
  const bag: KeyBag = {
    version: 5,
    type: 1,
    uuid: randomBytes(16),
    hmck: randomBytes(40),
    wrap: 0,
    salt: randomBytes(20),
    iterations: options.iterations ?? 10_000,
    passwordSalt: randomBytes(20),
    passwordIterations: options.passwordIterations ?? 10_000_000,
    passwordWrapType: 1,
    classes: [],
  };
  const passwordKey = await derivePasswordKey(bag, password);
  bag.classes = CLASSES.map((protectionClass) => ({
    protectionClass,
    wrap: WRAP_PASSCODE,
    keyType: 0,
    wrappedKey: wrapKey(passwordKey, classKeys.get(protectionClass) as Buffer),
  }));
  const fileClassKey = classKeys.get(FILE_CLASS) as Buffer;
  return {
    sealFile() {
      const key = randomBytes(32);
      return {
        cipher: encryptingStream(key),
        fields: {
          protectionClass: FILE_CLASS,
          encryptionKey: withClass(FILE_CLASS, wrapKey(fileClassKey, key)),
        },
      };
    },
    sealManifest(plain) {
      const key = randomBytes(32);
      return {
        bytes: encryptManifestDb(key, plain),
        record: { keyBag: encodeKeyBag(bag), manifestKey: withClass(FILE_CLASS, wrapKey(fileClassKey, key)) },
      };
    },
  };
}
