/**
 * Extraction: a device's data as files a computer opens, from a home tree or a backup.
 *
 * @example
 * const source = new BackupFolderSource("/backups/iphone", { password });
 * await extract(sourceFiles(source), "messages", "/tmp/messages");
 */
export { type DeviceFiles, homeTreeFiles, sourceFiles } from "./device-files.js";
export { ExtractError } from "./errors.js";
export { EXTRACT_KINDS, type ExtractKind, type ExtractResult, extract } from "./extract.js";
export {
  type OpenedFiles,
  type OpenFilesOptions,
  openDeviceFiles,
  openSnapshotFiles,
} from "./open.js";
