/**
 * Opens an encrypted backup with its password: keybag → class keys → the Manifest.db key
 * (Manifest.plist ManifestKey: 4-byte little-endian class, then the wrapped key) and, per file,
 * the key wrapped in its MBFile (EncryptionKey, same layout).
 */

import { BackupError } from "../../adapters/backup-folder/errors.js";
import type { PlistDict } from "../../adapters/backup-folder/plists.js";
import { decryptManifestDb } from "./content-cipher.js";
import { unwrapKey } from "./key-wrap.js";
import { derivePasswordKey, KeyBagError, parseKeyBag, unlockClassKeys } from "./keybag.js";

export interface BackupKeys {
  /** Decrypts Manifest.db (backups before iOS 10.2 have no ManifestKey: returned as is). */
  decryptManifest(encrypted: Buffer): Buffer;
  /** The file key a wrapped EncryptionKey holds, unwrapped with its protection class key. */
  fileKey(wrapped: Uint8Array, protectionClass: number, where: string): Buffer;
}

export async function unlockBackup(
  manifestPlist: PlistDict,
  password: string,
  dir: string,
): Promise<BackupKeys> {
  const where = `${dir}/Manifest.plist`;
  const bagBytes = manifestPlist.BackupKeyBag;
  if (!(bagBytes instanceof Uint8Array))
    throw new KeyBagError(`${where} says the backup is encrypted but holds no BackupKeyBag; it is damaged.`, {
      dir,
    });
  const bag = parseKeyBag(bagBytes, where);
  const classKeys = unlockClassKeys(bag, await derivePasswordKey(bag, password), where);
  const unwrapWithClass = (wrapped: Uint8Array, protectionClass: number, what: string): Buffer => {
    const classKey = classKeys.get(protectionClass);
    if (!classKey)
      throw new BackupError(
        `${what} uses protection class ${protectionClass}, which the backup's keybag does not hold.`,
        {
          dir,
        },
      );
    const key = unwrapKey(classKey, wrapped);
    if (!key)
      throw new BackupError(`${what}: its wrapped key fails its check; the backup is damaged.`, { dir });
    return key;
  };
  const manifestKey = manifestPlist.ManifestKey;
  let dbKey: Buffer | undefined;
  if (manifestKey instanceof Uint8Array) {
    const bytes = Buffer.from(manifestKey);
    if (bytes.length < 28)
      throw new KeyBagError(`${where} has a ManifestKey of ${bytes.length} bytes; it is damaged.`, { dir });
    dbKey = unwrapWithClass(bytes.subarray(4), bytes.readInt32LE(0), `${where} ManifestKey`);
  }
  return {
    decryptManifest: (encrypted) =>
      dbKey ? decryptManifestDb(dbKey, encrypted, `${dir}/Manifest.db`) : encrypted,
    fileKey: (wrapped, protectionClass, what) => {
      if (wrapped.length < 28)
        throw new BackupError(
          `${what}: its EncryptionKey is ${wrapped.length} bytes; the backup is damaged.`,
          { dir },
        );
      return unwrapWithClass(wrapped.subarray(4), protectionClass, what);
    },
  };
}
