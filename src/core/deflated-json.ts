import { deflateRawSync, inflateRawSync } from "node:zlib";

/**
 * Records are a kilobyte or a few: a 4 KiB window and a small hash table compress them as well as
 * zlib's defaults, at a third of the cost (most of which is setting those tables up per call).
 */
const SMALL_DEFLATE = { windowBits: 12, memLevel: 5 };

/**
 * A record's JSON as raw DEFLATE, the form the sync state stores and a run holds records in. The
 * result is an exact allocation, not a slice of a shared pool, whose slab a long-lived record would
 * keep alive with everything else in it.
 */
export function deflateJson(json: string): Buffer {
  const pooled = deflateRawSync(json, SMALL_DEFLATE);
  const own = Buffer.allocUnsafeSlow(pooled.length);
  pooled.copy(own);
  return own;
}

export function inflateJson(deflated: Uint8Array): string {
  return inflateRawSync(deflated).toString("utf8");
}
