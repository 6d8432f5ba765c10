/**
 * Copies device files out of a backup folder into a private temp home laid out like /var/mobile
 * (HomeDomain and CameraRollDomain paths are both relative to it), so the stores' own readers
 * work on them unchanged. SQLite then creates its -shm beside the copy, never inside the backup.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { withManifest } from "./manifest.js";

export interface WantedFile {
  domain: string;
  /** A device path such as Library/AddressBook/AddressBook.sqlitedb; given by Cradle, never by the backup. */
  relativePath: string;
  /** Skipped when the backup does not list it (a database's -wal). */
  optional?: boolean;
}

/** Extracts the files, runs `use` on the temp home, and removes the home whatever happens. */
export async function withExtractedHome<T>(
  dir: string,
  files: WantedFile[],
  use: (home: string) => Promise<T>,
): Promise<T> {
  const home = mkdtempSync(join(tmpdir(), "cradle-backup-home-"));
  try {
    withManifest(dir, (manifest) => {
      for (const wanted of files) {
        // Optional means "may be absent"; a file the manifest lists must be there and sound.
        if (wanted.optional && !manifest.find(wanted.domain, wanted.relativePath)) continue;
        const stored = manifest.require(wanted.domain, wanted.relativePath);
        const target = join(home, ...wanted.relativePath.split("/"));
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(stored.path, target);
      }
    });
    return await use(home);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
