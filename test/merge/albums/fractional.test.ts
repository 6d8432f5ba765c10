import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyBetween, keysBetween } from "../../../src/merge/albums/fractional.js";

const key = fc.stringMatching(/^[0-9A-Za-z]{0,6}[1-9A-Za-z]$/);

describe("fractional keys", () => {
  it("puts a key strictly between any two keys, never ending in the zero digit", () => {
    fc.assert(
      fc.property(key, key, (x, y) => {
        fc.pre(x !== y);
        const [a, b] = x < y ? [x, y] : [y, x];
        const k = keyBetween(a, b);
        expect(a < k && k < b).toBe(true);
        expect(k.endsWith("0")).toBe(false);
        const before = keyBetween(undefined, a);
        const after = keyBetween(b, undefined);
        expect(before < a && b < after).toBe(true);
      }),
    );
  });

  it("spreads n keys in order and keeps them short", () => {
    fc.assert(
      fc.property(fc.option(key, { nil: undefined }), fc.integer({ min: 0, max: 300 }), (a, n) => {
        const keys = keysBetween(a, undefined, n);
        expect(keys).toHaveLength(n);
        for (let i = 1; i < keys.length; i++)
          expect((keys[i - 1] as string) < (keys[i] as string)).toBe(true);
        if (a !== undefined && keys[0] !== undefined) expect(a < keys[0]).toBe(true);
      }),
    );
    const many = keysBetween(undefined, undefined, 50_000);
    expect(Math.max(...many.map((k) => k.length))).toBeLessThanOrEqual(5);
  });

  it("refuses bounds out of order", () => {
    expect(() => keyBetween("b", "a")).toThrow();
  });
});
