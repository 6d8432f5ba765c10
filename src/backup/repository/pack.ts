/**
 * A pack: many blobs in one file, followed by a header that lists them and the header's length.
 *   pack   = blob* ‖ header ‖ uint32le(header length)
 *   header = encodeObject(entry*, compressed), entry = id(32) ‖ uint32le(stored length) ‖
 *            uint32le(plain length) ‖ uint8(flags: 1 = compressed)
 * Each blob is sealed on its own, so one can be read without the rest. The header at the end lets
 * a pack be streamed out and still describe itself: a pack no index names (a backup interrupted
 * between pack and index) can be indexed again from its own header.
 */
import { decodeObject, encodeObject } from "./codec.js";

export interface PackedBlob {
  id: string;
  offset: number;
  length: number;
  rawLength: number;
  compressed: boolean;
}

const ENTRY = 41;

export function encodePackHeader(blobs: PackedBlob[], key: Buffer | undefined): Buffer {
  const raw = Buffer.alloc(blobs.length * ENTRY);
  blobs.forEach((blob, i) => {
    const at = i * ENTRY;
    raw.write(blob.id, at, 32, "hex");
    raw.writeUInt32LE(blob.length, at + 32);
    raw.writeUInt32LE(blob.rawLength, at + 36);
    raw.writeUInt8(blob.compressed ? 1 : 0, at + 40);
  });
  const header = encodeObject(raw, true, key);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([header, length]);
}

/** The blobs a pack holds, from its trailing header. Throws on a pack that does not add up. */
export function decodePackHeader(tail: Buffer, packSize: number, key: Buffer | undefined): PackedBlob[] {
  const headerLength = tail.readUInt32LE(tail.length - 4);
  if (headerLength + 4 > tail.length) throw new Error(`header of ${headerLength} bytes longer than the pack`);
  const raw = decodeObject(tail.subarray(tail.length - 4 - headerLength, tail.length - 4), true, key);
  if (raw.length % ENTRY !== 0) throw new Error("header length is not a whole number of entries");
  const blobs: PackedBlob[] = [];
  let offset = 0;
  for (let at = 0; at < raw.length; at += ENTRY) {
    const length = raw.readUInt32LE(at + 32);
    blobs.push({
      id: raw.toString("hex", at, at + 32),
      offset,
      length,
      rawLength: raw.readUInt32LE(at + 36),
      compressed: raw.readUInt8(at + 40) === 1,
    });
    offset += length;
  }
  if (offset + headerLength + 4 !== packSize)
    throw new Error("blobs and header do not add up to the pack's size");
  return blobs;
}

/** Bytes read from a pack's end to find its header in one read (most headers are smaller). */
export const PACK_TAIL_GUESS = 64 * 1024;
