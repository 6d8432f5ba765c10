/**
 * Photos: the camera roll's files (CameraRollDomain Media/DCIM/...) copied out under DIR/DCIM
 * with their folder names, bytes and modification times as stored.
 */
import { mkdirSync, utimesSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeStreamAtomic } from "../../adapters/shared/atomic-write.js";
import { assertSafeRelativePath } from "../domains.js";
import type { DeviceFiles } from "./device-files.js";

const DOMAIN = "CameraRollDomain";
const DCIM = "Media/DCIM";

export interface PhotosExtracted {
  written: number;
  bytes: number;
}

export async function extractPhotos(files: DeviceFiles, toDir: string): Promise<PhotosExtracted> {
  let written = 0;
  let bytes = 0;
  for (const entry of await files.list(DOMAIN, DCIM)) {
    const inside = entry.relativePath.slice("Media/".length);
    assertSafeRelativePath(inside, `${files.uri} ${DOMAIN}`);
    const target = join(toDir, ...inside.split("/"));
    mkdirSync(dirname(target), { recursive: true });
    await writeStreamAtomic(target, [await files.open(entry)]);
    utimesSync(target, entry.mtime / 1000, entry.mtime / 1000);
    written++;
    bytes += entry.size;
  }
  return { written, bytes };
}
