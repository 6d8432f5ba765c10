/**
 * FastCDC content-defined chunking (Xia et al., USENIX ATC 2016): a Gear rolling hash, a cut
 * where the hash's masked bits are zero, and "normalized chunking": a stricter mask before the
 * average size and a looser one after it, so chunk sizes cluster around the average. Boundaries
 * depend only on nearby bytes, so an edit moves at most the chunks around it.
 */

export interface ChunkerParams {
  minSize: number;
  avgSize: number;
  maxSize: number;
}

/** 256 pseudo-random 32-bit values, fixed so that boundaries (and so dedup) hold across repositories. */
const GEAR = (() => {
  const table = new Uint32Array(256);
  let state = 0x9e3779b9;
  for (let i = 0; i < 256; i++) {
    // xorshift32: cheap, deterministic, well spread.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    table[i] = state >>> 0;
  }
  return table;
})();

/** A mask of `bits` one-bits spread over the high half of the word, as the paper's masks are. */
function spreadMask(bits: number): number {
  let mask = 0;
  let placed = 0;
  for (let bit = 31; bit >= 0 && placed < bits; bit -= 2) {
    mask |= 1 << bit;
    placed++;
  }
  for (let bit = 30; bit >= 0 && placed < bits; bit -= 2) {
    mask |= 1 << bit;
    placed++;
  }
  return mask >>> 0;
}

export function assertParams({ minSize, avgSize, maxSize }: ChunkerParams): void {
  if (!(minSize > 0 && minSize <= avgSize && avgSize <= maxSize) || !Number.isInteger(Math.log2(avgSize)))
    throw new RangeError(
      `chunker: need 0 < min ≤ avg ≤ max and avg a power of two, got ${minSize}/${avgSize}/${maxSize}`,
    );
}

/**
 * The length of the first chunk of `data`, which starts at a chunk boundary: the first cut point
 * after minSize, else maxSize, else all of `data` when it is shorter (the end of a stream).
 */
export function cutPoint(data: Uint8Array, params: ChunkerParams): number {
  return cutPointAcross([data], data.length, params);
}

/**
 * cutPoint over data held in pieces (as a stream delivers it), `total` bytes in all: the same
 * cut as on the joined bytes, found without joining them.
 */
function cutPointAcross(pieces: readonly Uint8Array[], total: number, params: ChunkerParams): number {
  const { minSize, avgSize, maxSize } = params;
  if (total <= minSize) return total;
  const bits = Math.log2(avgSize);
  const maskSmall = spreadMask(bits + 2);
  const maskLarge = spreadMask(bits - 2);
  const end = Math.min(total, maxSize);
  const normal = Math.min(end, avgSize);
  let hash = 0;
  let base = 0; // offset of `piece` in the whole
  for (const given of pieces) {
    if (base >= end) break;
    // A plain Uint8Array view: the loop stays monomorphic whether pieces are Buffers or not.
    const piece = new Uint8Array(given.buffer, given.byteOffset, given.length);
    const stop = Math.min(end - base, piece.length);
    const switchAt = Math.max(0, Math.min(normal - base, stop));
    let j = Math.max(0, minSize - base);
    // Two tight loops, no per-byte branch on which mask applies.
    for (; j < switchAt; j++) {
      hash = ((hash << 1) + (GEAR[piece[j] as number] as number)) >>> 0;
      if ((hash & maskSmall) === 0) return base + j + 1;
    }
    for (; j < stop; j++) {
      hash = ((hash << 1) + (GEAR[piece[j] as number] as number)) >>> 0;
      if ((hash & maskLarge) === 0) return base + j + 1;
    }
    base += given.length;
  }
  return end;
}

/**
 * Bytes of a stream not yet cut, kept as the pieces that arrived. A chunk inside one piece is a
 * view of it; only a chunk that spans pieces is copied, once, into a buffer of its own.
 */
class Pending {
  pieces: Uint8Array[] = [];
  length = 0;

  push(piece: Uint8Array): void {
    if (piece.length === 0) return;
    this.pieces.push(piece);
    this.length += piece.length;
  }

  take(n: number): Buffer {
    const first = this.pieces[0] as Uint8Array;
    let out: Buffer;
    if (first.length >= n) {
      out = asBuffer(first.subarray(0, n));
      if (first.length === n) this.pieces.shift();
      else this.pieces[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafeSlow(n);
      let filled = 0;
      while (filled < n) {
        const piece = this.pieces[0] as Uint8Array;
        const used = Math.min(piece.length, n - filled);
        out.set(piece.subarray(0, used), filled);
        filled += used;
        if (used === piece.length) this.pieces.shift();
        else this.pieces[0] = piece.subarray(used);
      }
    }
    this.length -= n;
    return out;
  }
}

/**
 * Splits a stream of buffers into chunks. Input is gathered until a full maxSize window exists,
 * so memory stays near maxSize plus one input buffer. Chunks are views into buffers the stream
 * made or copies this function made, never reused, so callers may keep them.
 */
export async function* chunkStream(
  input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  params: ChunkerParams,
): AsyncGenerator<Buffer> {
  assertParams(params);
  const pending = new Pending();
  for await (const piece of input) {
    pending.push(piece);
    while (pending.length >= params.maxSize)
      yield pending.take(cutPointAcross(pending.pieces, pending.length, params));
  }
  while (pending.length > 0) yield pending.take(cutPointAcross(pending.pieces, pending.length, params));
}

/** The chunks of one in-memory buffer (tests, small files). */
export function chunkBuffer(data: Uint8Array, params: ChunkerParams): Uint8Array[] {
  assertParams(params);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  while (offset < data.length) {
    const cut = cutPoint(data.subarray(offset), params);
    chunks.push(data.subarray(offset, offset + cut));
    offset += cut;
  }
  return chunks;
}

/** Fixed-size pieces (SQLite page groups): an in-place page change touches exactly one piece. */
export async function* fixedChunks(
  input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  size: number,
): AsyncGenerator<Buffer> {
  const pending = new Pending();
  for await (const piece of input) {
    pending.push(piece);
    while (pending.length >= size) yield pending.take(size);
  }
  if (pending.length > 0) yield pending.take(pending.length);
}

const asBuffer = (view: Uint8Array) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);
