import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256 } from "../../src/core/sha256.js";

describe("sha256", () => {
  it("gives createHash's digest in every encoding, for strings and buffers", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => {
        const reference = createHash("sha256").update(text).digest();
        expect(sha256(text, "buffer").equals(reference)).toBe(true);
        expect(sha256(text, "hex")).toBe(reference.toString("hex"));
        expect(sha256(Buffer.from(text, "utf8"), "base64url")).toBe(reference.toString("base64url"));
      }),
    );
  });
});
