/**
 * How one stored object becomes bytes: optionally deflated, then optionally sealed. Blobs carry a
 * "compressed" flag in their pack header and index entry; metadata files (index, snapshot, pack
 * header) are always deflated JSON or binary.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { seal, sealParts, unseal } from "./crypto.js";

/** Level 1: on this machine it deflates plists and SQLite pages almost as well as level 6, several times faster. */
const LEVEL = 1;

export function encodeObject(data: Uint8Array, compress: boolean, key: Buffer | undefined): Buffer {
  const body = compress
    ? deflateRawSync(data, { level: LEVEL })
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return key ? seal(key, body) : body;
}

/**
 * encodeObject for blobs, in pieces for one writev. Deflate stays on the main thread: on the
 * thread pool it cost more CPU than it saved in wall time on this 2-core machine (docs/backup.md).
 */
export function encodeBlob(data: Uint8Array, compress: boolean, key: Buffer | undefined): Buffer[] {
  const body = compress
    ? deflateRawSync(data, { level: LEVEL })
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return key ? sealParts(key, body) : [body];
}

export function decodeObject(stored: Uint8Array, compressed: boolean, key: Buffer | undefined): Buffer {
  const body = key ? unseal(key, stored) : Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  return compressed ? inflateRawSync(body) : body;
}

/** Bytes of a file's first chunk that decide: deflating all of a 4 MiB chunk twice cost more than it told. */
const SAMPLE = 64 * 1024;

/** Deflates a sample; worth it when it saves at least 1/8. Media (JPEG, HEIC, H.264) never does. */
export function compressionPays(chunk: Uint8Array): boolean {
  if (chunk.length < 64) return false;
  const sample = chunk.subarray(0, SAMPLE);
  return deflateRawSync(sample, { level: LEVEL }).length < sample.length * 0.875;
}

export const encodeJson = (value: unknown, key: Buffer | undefined) =>
  encodeObject(Buffer.from(JSON.stringify(value)), true, key);

export const decodeJson = <T>(stored: Uint8Array, key: Buffer | undefined): T =>
  JSON.parse(decodeObject(stored, true, key).toString("utf8")) as T;
