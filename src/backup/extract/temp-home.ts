/**
 * Copies a few device files (a database and its -wal) into a private temp home laid out like
 * /var/mobile, so the stores' own readers (the ios: endpoints) run on them unchanged and SQLite
 * never writes beside the originals.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { writeStreamToNewFile } from "../../adapters/shared/atomic-write.js";
import type { DeviceFiles } from "./device-files.js";

/** Runs `use` on a temp home holding whichever of `paths` exist; returns what was found. */
export async function withTempHome<T>(
  files: DeviceFiles,
  paths: { domain: string; relativePath: string }[],
  use: (home: string, found: string[]) => Promise<T>,
): Promise<T> {
  const home = mkdtempSync(join(tmpdir(), "cradle-extract-"));
  try {
    const found: string[] = [];
    for (const { domain, relativePath } of paths) {
      const entry = await files.find(domain, relativePath);
      if (!entry) continue;
      const target = join(home, ...relativePath.split("/"));
      mkdirSync(dirname(target), { recursive: true });
      await writeStreamToNewFile(target, [await files.open(entry)]);
      found.push(relativePath);
    }
    return await use(home, found);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** A database and the -wal that may hold its newest rows. */
export const withWal = (domain: string, relativePath: string) => [
  { domain, relativePath },
  { domain, relativePath: `${relativePath}-wal` },
];
