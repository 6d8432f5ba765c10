/**
 * The index: where each blob is (pack, offset, length). Each backup writes one index file for the
 * packs it added; the in-memory index is the union of all files, the first entry for a blob wins.
 * File form (deflated, sealed JSON): { packs: [{ id, blobs: [[blobId, offset, length, rawLength, 0|1]] }] }.
 */
import type { PackedBlob } from "./pack.js";

export interface BlobLocation {
  pack: string;
  offset: number;
  length: number;
  rawLength: number;
  compressed: boolean;
}

export interface IndexFileBody {
  packs: { id: string; blobs: [string, number, number, number, 0 | 1][] }[];
}

export function indexBody(packs: Map<string, PackedBlob[]>): IndexFileBody {
  return {
    packs: [...packs].map(([id, blobs]) => ({
      id,
      blobs: blobs.map((b) => [b.id, b.offset, b.length, b.rawLength, b.compressed ? 1 : 0]),
    })),
  };
}

/** Adds a file's entries to the index; returns the packs it names. */
export function mergeIndexBody(index: Map<string, BlobLocation>, body: IndexFileBody): string[] {
  for (const pack of body.packs) {
    for (const [id, offset, length, rawLength, compressed] of pack.blobs) {
      if (!index.has(id))
        index.set(id, { pack: pack.id, offset, length, rawLength, compressed: compressed === 1 });
    }
  }
  return body.packs.map((p) => p.id);
}
