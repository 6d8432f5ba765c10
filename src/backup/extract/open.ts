/**
 * SOURCE → DeviceFiles for extract: `ios:DIR` (a home tree), `backup:DIR` (a Finder backup
 * folder, encrypted or not), or a snapshot of the repository.
 */
import { resolve } from "node:path";
import { isEncrypted, readManifestPlist } from "../../adapters/backup-folder/plists.js";
import { UsageError } from "../../core/errors.js";
import { findSnapshot } from "../find-snapshot.js";
import { BackupFolderSource } from "../ios-backup/folder-source.js";
import type { Repository } from "../repository/repository.js";
import { SnapshotSource } from "../sources/snapshot.js";
import { type DeviceFiles, homeTreeFiles, sourceFiles } from "./device-files.js";

export interface OpenedFiles {
  files: DeviceFiles;
  close(): Promise<void>;
}

export interface OpenFilesOptions {
  /** Asked only when the backup turns out to be encrypted. */
  password?: () => Promise<string>;
}

type Opener = (location: string, options: OpenFilesOptions) => Promise<OpenedFiles>;

const OPENERS: Record<string, Opener> = {
  ios: async (dir) => ({ files: homeTreeFiles(dir), close: async () => undefined }),
  backup: async (dir, options) => {
    const encrypted = isEncrypted(readManifestPlist(dir, { encryptedOk: true }));
    const password = encrypted && options.password ? await options.password() : undefined;
    const source = new BackupFolderSource(dir, { password });
    return { files: sourceFiles(source), close: () => source.close() };
  },
};

/** SNAP (an id, a unique prefix, or "latest") of `repo`; close() closes the repository. */
export async function openSnapshotFiles(repo: Repository, name: string): Promise<OpenedFiles> {
  const snapshot = await findSnapshot(repo, name);
  return { files: sourceFiles(new SnapshotSource(repo, snapshot)), close: () => repo.close() };
}

export async function openDeviceFiles(spec: string, options: OpenFilesOptions = {}): Promise<OpenedFiles> {
  const colon = spec.indexOf(":");
  const opener = colon > 0 ? OPENERS[spec.slice(0, colon)] : undefined;
  const location = spec.slice(colon + 1);
  if (!opener || !location)
    throw new UsageError(
      `"${spec}" is not a source extract reads. Use ${Object.keys(OPENERS)
        .map((s) => `${s}:DIR`)
        .join(" or ")}.`,
      { spec },
    );
  return opener(resolve(location), options);
}
