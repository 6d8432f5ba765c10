/**
 * How one stored object becomes bytes: optionally deflated, then optionally sealed. Blobs carry a
 * "compressed" flag in their pack header and index entry; metadata files (index, snapshot, pack
 * header) are always deflated JSON or binary.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { seal, unseal } from "./crypto.js";

/** Level 1: on this machine it deflates plists and SQLite pages almost as well as level 6, several times faster. */
const LEVEL = 1;

export function encodeObject(data: Uint8Array, compress: boolean, key: Buffer | undefined): Buffer {
  const body = compress
    ? deflateRawSync(data, { level: LEVEL })
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return key ? seal(key, body) : body;
}

export function decodeObject(stored: Uint8Array, compressed: boolean, key: Buffer | undefined): Buffer {
  const body = key ? unseal(key, stored) : Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  return compressed ? inflateRawSync(body) : body;
}

/** Deflates a sample; worth it when it saves at least 1/8. Media (JPEG, HEIC, H.264) never does. */
export function compressionPays(sample: Uint8Array): boolean {
  if (sample.length < 64) return false;
  return deflateRawSync(sample, { level: LEVEL }).length < sample.length * 0.875;
}

export const encodeJson = (value: unknown, key: Buffer | undefined) =>
  encodeObject(Buffer.from(JSON.stringify(value)), true, key);

export const decodeJson = <T>(stored: Uint8Array, key: Buffer | undefined): T =>
  JSON.parse(decodeObject(stored, true, key).toString("utf8")) as T;
