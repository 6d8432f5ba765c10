/**
 * The iOS backup folder format (Finder, iTunes, idevicebackup2): read it as a backup source,
 * write it as a restore target, encrypted or not.
 *
 * @example
 * const target = new BackupFolderTarget("/backups/iphone", { sealer: await createBackupEncrypter(password) });
 * for await (const entry of source.entries())
 *   await target.put(entry, entry.kind === "file" ? await source.open(entry) : undefined);
 * await target.commit(await source.device());
 *
 * const backup = new BackupFolderSource("/backups/iphone", { password });
 */
export { createBackupEncrypter, type EncrypterOptions } from "./encrypter.js";
export { BackupEntryError, BackupTargetError } from "./errors.js";
export { BackupFolderSource, type BackupFolderSourceOptions } from "./folder-source.js";
export { BackupFolderTarget, type BackupFolderTargetOptions, type ContentSealer } from "./folder-target.js";
export { KeyBagError, WrongPasswordError } from "./keybag.js";
