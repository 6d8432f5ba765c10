import { PassThrough } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader } from "../../src/device/byte-reader.js";
import { DeviceProtocolError } from "../../src/device/errors.js";
import { encodePlistMessage, readPlistMessage } from "../../src/device/plist-service.js";

const plistDict = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }).filter((k) => /^[A-Za-z]+$/.test(k)),
  fc.oneof(
    // Text XML can carry: markup characters and non-ASCII included, control characters not.
    fc.stringMatching(/^[A-Za-z0-9 .,;:!?äöüß€<>&"'\n-]{0,30}$/),
    fc.integer(),
    fc.boolean(),
    fc.uint8Array({ maxLength: 40 }),
  ),
);

function readerOver(bytes: Buffer, end = true) {
  const stream = new PassThrough();
  const reader = new ByteReader(stream, "a test peer");
  // Split into two writes so a frame crosses chunk boundaries.
  stream.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
  stream.write(bytes.subarray(Math.floor(bytes.length / 2)));
  if (end) stream.end();
  return reader;
}

const normalise = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v)),
  );

describe("length-prefixed plist messages", () => {
  it("read back what was written, in XML and binary, one after another", async () => {
    await fc.assert(
      fc.asyncProperty(plistDict, plistDict, async (first, second) => {
        const reader = readerOver(
          Buffer.concat([encodePlistMessage(first, "xml"), encodePlistMessage(second, "binary")]),
        );
        expect(normalise(await readPlistMessage(reader))).toEqual(normalise(first));
        expect(normalise(await readPlistMessage(reader))).toEqual(normalise(second));
        expect(await readPlistMessage(reader)).toBeUndefined();
      }),
      { numRuns: 50 },
    );
  });

  it("refuses zero, oversized and cut-short frames with a protocol error naming the peer", async () => {
    const message = encodePlistMessage({ Request: "QueryType" });
    for (const bytes of [
      Buffer.from([0, 0, 0, 0]),
      Buffer.from([0, 0x50, 0, 0]),
      message.subarray(0, message.length - 3),
      message.subarray(0, 2),
    ]) {
      const error = await readPlistMessage(readerOver(bytes)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeviceProtocolError);
      expect((error as Error).message).toContain("a test peer");
    }
  });

  it("gives up on a frame that stops arriving, after the timeout", async () => {
    const message = encodePlistMessage({ Request: "QueryType" });
    const reader = readerOver(message.subarray(0, 10), false);
    await expect(readPlistMessage(reader, { timeoutMs: 50 })).rejects.toThrow(/did not send/);
  });
});
