import fc from "fast-check";
import { expect, it } from "vitest";
import { canonicalFieldsJson, type Fields } from "../../src/core/fields.js";

const map = fc.dictionary(fc.string(), fc.string());
const fields: fc.Arbitrary<Fields> = fc.record({
  scalars: map,
  texts: map,
  sets: fc.dictionary(fc.string(), map),
});

it("canonicalFieldsJson is the same whatever the key order, and parses back to the same Fields", () => {
  fc.assert(
    fc.property(fields, (f) => {
      const shuffled: Fields = {
        texts: Object.fromEntries(Object.entries(f.texts).reverse()),
        sets: Object.fromEntries(Object.entries(f.sets).reverse()),
        scalars: Object.fromEntries(Object.entries(f.scalars).reverse()),
      };
      expect(canonicalFieldsJson(shuffled)).toBe(canonicalFieldsJson(f));
      expect(JSON.parse(canonicalFieldsJson(f))).toEqual(f);
    }),
  );
});
