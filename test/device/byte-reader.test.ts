import { PassThrough } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader } from "../../src/device/byte-reader.js";

describe("ByteReader", () => {
  it("returns the bytes in order, however they arrive and however they are read", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 40 }),
        async (arrivals, readSizes) => {
          const stream = new PassThrough();
          const reader = new ByteReader(stream, "test peer");
          for (const chunk of arrivals) stream.write(Buffer.from(chunk));
          stream.end();
          const all = Buffer.concat(arrivals.map((a) => Buffer.from(a)));
          const read: Buffer[] = [];
          let offset = 0;
          for (const size of readSizes) {
            if (offset + size > all.length) break;
            read.push(await reader.read(size, "a piece"));
            offset += size;
          }
          read.push(reader.detach());
          expect(Buffer.concat(read).equals(all)).toBe(true);
        },
      ),
    );
  });

  it("pauses a stream that runs far ahead of the reads, and resumes it as they catch up", async () => {
    const stream = new PassThrough({ highWaterMark: 1 });
    const reader = new ByteReader(stream, "test peer");
    const piece = Buffer.alloc(1024 * 1024, 7);
    for (let i = 0; i < 10; i++) stream.write(piece);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.isPaused()).toBe(true);
    // Many small reads from a large backlog: each copies only what it returns.
    for (let i = 0; i < 6 * 1024; i++) expect((await reader.read(1024, "a piece")).length).toBe(1024);
    expect(stream.isPaused()).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reader.available).toBe(4 * 1024 * 1024);
  });
});
