/**
 * The iOS backup folder format (Finder, iTunes, idevicebackup2): read it as a backup source,
 * write it as a restore target.
 *
 * @example
 * const target = new BackupFolderTarget("/backups/iphone");
 * for await (const entry of source.entries()) await target.put(entry, entry.kind === "file" ? await source.open(entry) : undefined);
 * await target.commit(await source.device());
 */
export { BackupEntryError, BackupTargetError } from "./errors.js";
export { BackupFolderSource } from "./folder-source.js";
export { BackupFolderTarget, type BackupFolderTargetOptions } from "./folder-target.js";
