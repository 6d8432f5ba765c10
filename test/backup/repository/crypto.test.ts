import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seal, unseal } from "../../../src/backup/repository/crypto.js";

/** AES-256-GCM in one call, as the format was first written: the sliced code must match it byte for byte. */
function openWhole(key: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
}

function sealWhole(key: Buffer, plain: Buffer): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

// Around the 16 KiB slice: empty, one byte, a slice less and more one, several slices.
const sizes = fc.oneof(
  fc.constantFrom(0, 1, 16383, 16384, 16385, 3 * 16384, 3 * 16384 + 7),
  fc.integer({ min: 0, max: 100_000 }),
);

describe("seal / unseal", () => {
  it("seals what a one-call AES-GCM opens, and opens what one sealed", () => {
    const key = randomBytes(32);
    fc.assert(
      fc.property(sizes, (size) => {
        const plain = randomBytes(size);
        expect(openWhole(key, seal(key, plain)).equals(plain)).toBe(true);
        expect(unseal(key, sealWhole(key, plain)).equals(plain)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("refuses a flipped bit in any slice, and the wrong key", () => {
    const key = randomBytes(32);
    const sealed = seal(key, randomBytes(40_000));
    for (const at of [0, 12, 20_000, sealed.length - 17, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at] = (bad[at] as number) ^ 1;
      expect(() => unseal(key, bad)).toThrow();
    }
    expect(() => unseal(randomBytes(32), sealed)).toThrow();
  });
});
