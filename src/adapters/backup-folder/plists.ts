/**
 * The plists at the top of a backup folder. Finder and the device write them as binary
 * ("bplist00"), idevicebackup2 writes Info.plist as XML: both are read.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isPlistDict, type PlistDict, type PlistValue, parsePlist } from "../../device/plist/index.js";
import { BackupError, EncryptedBackupError } from "./errors.js";

export { isPlistDict, type PlistDict };

/** Reads a plist file holding a dictionary, binary or XML. */
export function readPlistDict(path: string): PlistDict {
  let value: PlistValue;
  try {
    value = parsePlist(readFileSync(path), path);
  } catch (error) {
    throw new BackupError(`${path} is not a readable plist (${(error as Error).message}).`, { path });
  }
  if (!isPlistDict(value)) throw new BackupError(`${path} does not hold a plist dictionary.`, { path });
  return value;
}

/**
 * Reads Manifest.plist. An encrypted backup (its Manifest.db and every file AES-encrypted with
 * keys only the backup password unlocks) is refused unless the caller can decrypt it.
 */
export function readManifestPlist(dir: string, options: { encryptedOk?: boolean } = {}): PlistDict {
  const path = join(dir, "Manifest.plist");
  if (!existsSync(path))
    throw new BackupError(
      `${dir} is not an iOS backup folder: it has no Manifest.plist. Point backup: at the folder Finder or idevicebackup2 made (the one holding Manifest.db).`,
      { dir },
    );
  const manifest = readPlistDict(path);
  if (isEncrypted(manifest) && !options.encryptedOk)
    throw new EncryptedBackupError(
      `The backup in ${dir} is encrypted and no password was given. Import it with its password (cradle extract ... --password-file FILE, or CRADLE_BACKUP_PASSWORD), or turn off "Encrypt local backup" in Finder and back up again.`,
      { dir },
    );
  return manifest;
}

export const isEncrypted = (manifest: PlistDict): boolean => manifest.IsEncrypted === true;
