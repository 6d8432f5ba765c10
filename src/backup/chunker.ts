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
  const { minSize, avgSize, maxSize } = params;
  const n = data.length;
  if (n <= minSize) return n;
  const bits = Math.log2(avgSize);
  const maskSmall = spreadMask(bits + 2);
  const maskLarge = spreadMask(bits - 2);
  const end = Math.min(n, maxSize);
  const normal = Math.min(end, avgSize);
  let hash = 0;
  let i = minSize;
  for (; i < normal; i++) {
    hash = ((hash << 1) + (GEAR[data[i] as number] as number)) >>> 0;
    if ((hash & maskSmall) === 0) return i + 1;
  }
  for (; i < end; i++) {
    hash = ((hash << 1) + (GEAR[data[i] as number] as number)) >>> 0;
    if ((hash & maskLarge) === 0) return i + 1;
  }
  return end;
}

/**
 * Splits a stream of buffers into chunks. Input is gathered until a full maxSize window exists,
 * so memory stays near maxSize plus one input buffer. Chunks are copies, so callers may keep them.
 */
export async function* chunkStream(
  input: AsyncIterable<Uint8Array>,
  params: ChunkerParams,
): AsyncGenerator<Buffer> {
  assertParams(params);
  let pieces: Uint8Array[] = [];
  let buffered = 0;
  const drain = function* (final: boolean): Generator<Buffer> {
    let pending = pieces.length === 1 ? Buffer.from(pieces[0] as Uint8Array) : Buffer.concat(pieces);
    while (pending.length >= params.maxSize || (final && pending.length > 0)) {
      const cut = cutPoint(pending, params);
      yield Buffer.from(pending.subarray(0, cut));
      pending = pending.subarray(cut);
    }
    pieces = pending.length > 0 ? [pending] : [];
    buffered = pending.length;
  };
  for await (const piece of input) {
    pieces.push(piece);
    buffered += piece.length;
    if (buffered >= params.maxSize) yield* drain(false);
  }
  if (buffered > 0) yield* drain(true);
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
export async function* fixedChunks(input: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pieces: Uint8Array[] = [];
  let buffered = 0;
  for await (const piece of input) {
    pieces.push(piece);
    buffered += piece.length;
    if (buffered < size) continue;
    const all = Buffer.concat(pieces);
    let offset = 0;
    for (; all.length - offset >= size; offset += size)
      yield Buffer.from(all.subarray(offset, offset + size));
    pieces = offset < all.length ? [all.subarray(offset)] : [];
    buffered = all.length - offset;
  }
  if (buffered > 0) yield Buffer.concat(pieces);
}
