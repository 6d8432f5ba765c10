import { createHash, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ChunkerParams, chunkBuffer, chunkStream, fixedChunks } from "../../src/backup/chunker.js";

const SMALL: ChunkerParams = { minSize: 64, avgSize: 256, maxSize: 1024 };
const data = fc.uint8Array({ minLength: 0, maxLength: 20_000 });
const hex = (chunks: Uint8Array[]) => chunks.map((c) => createHash("sha256").update(c).digest("hex"));

async function collect(pieces: Uint8Array[], params: ChunkerParams): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of chunkStream(
    (async function* () {
      yield* pieces;
    })(),
    params,
  ))
    out.push(chunk);
  return out;
}

/** Splits data at the given fractions, as a stream would deliver it. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    if (p > at) pieces.push(bytes.subarray(at, p));
    at = Math.max(at, p);
  }
  return pieces;
}

describe("FastCDC chunker", () => {
  it("reassembles to the input, with every chunk but the last within min..max", () => {
    fc.assert(
      fc.property(data, (bytes) => {
        const chunks = chunkBuffer(bytes, SMALL);
        expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
        chunks.slice(0, -1).forEach((c) => {
          expect(c.length).toBeGreaterThanOrEqual(SMALL.minSize);
          expect(c.length).toBeLessThanOrEqual(SMALL.maxSize);
        });
      }),
    );
  });

  it("cuts at the same places however the stream is split into pieces", async () => {
    await fc.assert(
      fc.asyncProperty(
        data,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        async (bytes, cuts) => {
          expect(hex(await collect(split(bytes, cuts), SMALL))).toEqual(hex(chunkBuffer(bytes, SMALL)));
        },
      ),
    );
  });

  it("cuts at the same places when pieces are far smaller than a chunk (the cut spans many)", async () => {
    await fc.assert(
      fc.asyncProperty(data, fc.integer({ min: 1, max: 300 }), async (bytes, step) => {
        const pieces: Uint8Array[] = [];
        for (let at = 0; at < bytes.length; at += step) pieces.push(bytes.slice(at, at + step));
        const chunks = await collect(pieces, SMALL);
        expect(hex(chunks)).toEqual(hex(chunkBuffer(bytes, SMALL)));
        expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it("cuts where the first repositories' chunker cut (dedup against old snapshots holds)", async () => {
    // Deterministic bytes; the lengths were computed by the chunker before its cross-piece rewrite.
    const parts: Buffer[] = [];
    for (let i = 0; parts.length * 32 < 3_000_000; i++)
      parts.push(createHash("sha256").update(`cradle-chunker-${i}`).digest());
    const bytes = Buffer.concat(parts);
    const lengths = (p: ChunkerParams) => chunkBuffer(bytes, p).map((c) => c.length);
    const digest = (l: number[]) => createHash("sha256").update(JSON.stringify(l)).digest("hex");
    expect(lengths({ minSize: 256 * 1024, avgSize: 1024 * 1024, maxSize: 4 * 1024 * 1024 })).toEqual([
      1262012, 1737988,
    ]);
    const small = lengths({ minSize: 2048, avgSize: 8192, maxSize: 32768 });
    expect(small.length).toBe(327);
    expect(digest(small)).toBe("9a9d5e8635b3fa0d1ee50e8c7951e44872ff4d46248d598b9fd1ee084d63bac8");
    const streamed = await collect(split(bytes, [0.1, 0.10001, 0.5, 0.7]), {
      minSize: 2048,
      avgSize: 8192,
      maxSize: 32768,
    });
    expect(digest(streamed.map((c) => c.length))).toBe(digest(small));
  });

  it("an edit leaves the chunks before it alone, and all after the first shared boundary", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 2000, maxLength: 20_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.uint8Array({ minLength: 1, maxLength: 16 }),
        (bytes, where, insert) => {
          const at = Math.floor(where * bytes.length);
          const edited = Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(at)]);
          const before = chunkBuffer(bytes, SMALL);
          const after = chunkBuffer(edited, SMALL);
          const ends = (chunks: Uint8Array[]) => {
            let sum = 0;
            return chunks.map((c) => (sum += c.length));
          };
          const oldEnds = ends(before);
          const newEnds = ends(after);
          // Chunks ending before the edit are untouched (the last one ends only because the data did).
          const untouched = oldEnds.filter((e) => e <= at && e < bytes.length).length;
          expect(hex(after.slice(0, untouched))).toEqual(hex(before.slice(0, untouched)));
          // After the first boundary both share (shifted by the insert), everything is the same.
          const resync = newEnds.findIndex(
            (e) => e > at + insert.length && oldEnds.includes(e - insert.length),
          );
          if (resync >= 0) {
            const oldIndex = oldEnds.indexOf((newEnds[resync] as number) - insert.length);
            expect(hex(after.slice(resync + 1))).toEqual(hex(before.slice(oldIndex + 1)));
          }
        },
      ),
    );
  });

  it("re-stores few chunks of a megabyte after a one-byte change (default-like sizes)", () => {
    const params = { minSize: 2048, avgSize: 8192, maxSize: 65536 };
    const bytes = Buffer.from(randomBytes(1 << 20));
    const before = new Set(hex(chunkBuffer(bytes, params)));
    bytes[500_000] = (bytes[500_000] as number) ^ 0xff;
    const changed = hex(chunkBuffer(bytes, params)).filter((h) => !before.has(h));
    expect(changed.length).toBeGreaterThanOrEqual(1);
    expect(changed.length).toBeLessThanOrEqual(3);
  });

  it("cuts SQLite page groups at fixed offsets", async () => {
    const bytes = randomBytes(4096 * 10 + 100);
    const out: Buffer[] = [];
    for await (const c of fixedChunks(split(bytes, [0.13, 0.5, 0.51]), 16384)) out.push(c);
    expect(out.map((c) => c.length)).toEqual([16384, 16384, 8292]);
    expect(Buffer.concat(out).equals(bytes)).toBe(true);
  });

  it("cuts page groups at fixed offsets however the stream is split", async () => {
    await fc.assert(
      fc.asyncProperty(data, fc.integer({ min: 1, max: 5000 }), async (bytes, step) => {
        const pieces: Uint8Array[] = [];
        for (let at = 0; at < bytes.length; at += step) pieces.push(bytes.slice(at, at + step));
        const out: Buffer[] = [];
        for await (const c of fixedChunks(pieces, 1024)) out.push(c);
        const expected: Buffer[] = [];
        for (let at = 0; at < bytes.length; at += 1024)
          expected.push(Buffer.from(bytes.subarray(at, at + 1024)));
        expect(out).toEqual(expected);
      }),
    );
  });
});
