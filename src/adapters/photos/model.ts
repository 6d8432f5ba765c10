/**
 * The album model's helpers: how an asset is known across stores (its fingerprint) and how a
 * folder path is shown. The shapes themselves are the store contract in src/core/albums.ts.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { AlbumNode, PhotoAsset } from "../../core/albums.js";

/**
 * An asset's fingerprint: the sha-256 of its bytes where the file can be read, because that
 * survives re-import under another name; otherwise what the store says about it (original name,
 * creation date, size or dimensions), which a re-import keeps too.
 */
export async function fingerprintAsset(
  asset: PhotoAsset,
): Promise<{ fingerprint: string; unreadable?: string }> {
  if (asset.path) {
    try {
      return { fingerprint: `sha256:${await hashFile(asset.path)}` };
    } catch (error) {
      return { fingerprint: metadataFingerprint(asset), unreadable: (error as Error).message };
    }
  }
  return { fingerprint: metadataFingerprint(asset), unreadable: "the store has no file for it" };
}

export function metadataFingerprint(asset: PhotoAsset): string {
  const created = asset.created === undefined ? "" : new Date(asset.created).toISOString();
  const extent =
    asset.size !== undefined ? `${asset.size}B` : asset.width ? `${asset.width}x${asset.height}` : "";
  return `meta:${asset.name.toLowerCase()}|${created}|${extent}`;
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/** "Trips/2024" for an album in folder 2024 inside Trips; "" at the top. */
export function folderPathOf(node: AlbumNode, byId: Map<string, AlbumNode>): string {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let parent = node.parent; parent !== null && !seen.has(parent); ) {
    seen.add(parent);
    const folder = byId.get(parent);
    if (!folder) break;
    names.unshift(folder.title);
    parent = folder.parent;
  }
  return names.join("/");
}
