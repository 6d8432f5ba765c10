/**
 * How a file is cut, decided from its first bytes (see docs/backup.md for the measurements):
 * - SQLite databases change pages in place and grow at the end, so they are cut at page
 *   boundaries into fixed groups of pages: a changed page re-stores one group, nothing shifts.
 * - Photos and videos never change in place and never compress: large FastCDC chunks, stored raw.
 * - Everything else: FastCDC at a 1 MiB average, restic's size, compressed when a sample shrinks.
 */
import type { ChunkerParams } from "./chunker.js";

export type ChunkPolicy =
  | { kind: "sqlite"; pageSize: number; chunkSize: number }
  | { kind: "media"; cdc: ChunkerParams }
  | { kind: "general"; cdc: ChunkerParams };

const KiB = 1024;
const MiB = 1024 * KiB;

/** Bytes the policy needs to see: the SQLite header's page size sits at offset 16. */
export const POLICY_SNIFF_BYTES = 100;

/** Pages per SQLite chunk: 2 (8 KiB at the usual 4 KiB page) since the bench sms.db barely compresses; see docs/backup.md. */
export const SQLITE_PAGES_PER_CHUNK = 2;

export const GENERAL_CDC: ChunkerParams = { minSize: 256 * KiB, avgSize: 1 * MiB, maxSize: 4 * MiB };
export const MEDIA_CDC: ChunkerParams = { minSize: 1 * MiB, avgSize: 4 * MiB, maxSize: 8 * MiB };

const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");

/** The page size of a SQLite header, or undefined if `head` is not one. */
export function sqlitePageSize(head: Uint8Array): number | undefined {
  if (head.length < 18 || !SQLITE_MAGIC.equals(Buffer.from(head.subarray(0, 16)))) return undefined;
  const raw = (head[16] as number) * 256 + (head[17] as number);
  const size = raw === 1 ? 65536 : raw;
  return size >= 512 && size <= 65536 && (size & (size - 1)) === 0 ? size : undefined;
}

/** JPEG, PNG, GIF, HEIC/HEIF/MP4/MOV (ISO base media "ftyp"), WebP/AVI (RIFF). */
function isMedia(head: Uint8Array): boolean {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  return (
    (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) ||
    b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ||
    b.subarray(0, 4).toString("latin1") === "GIF8" ||
    b.subarray(4, 8).toString("latin1") === "ftyp" ||
    b.subarray(0, 4).toString("latin1") === "RIFF"
  );
}

export function choosePolicy(head: Uint8Array): ChunkPolicy {
  const pageSize = sqlitePageSize(head);
  if (pageSize !== undefined)
    return { kind: "sqlite", pageSize, chunkSize: pageSize * SQLITE_PAGES_PER_CHUNK };
  if (isMedia(head)) return { kind: "media", cdc: MEDIA_CDC };
  return { kind: "general", cdc: GENERAL_CDC };
}
