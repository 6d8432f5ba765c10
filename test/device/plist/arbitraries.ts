import fc from "fast-check";
import {
  isPlistDict,
  PlistReal,
  PlistUid,
  type PlistValue,
  setPlistKey,
} from "../../../src/device/plist/index.js";

export interface PlistShape {
  /** Include null (our codec reads and writes it; libplist and XML have none). */
  nulls: boolean;
  /** Include UIDs (binary only: XML writes them as {CF$UID: n} dicts). */
  uids: boolean;
  /** Whole-second dates and safe integers only (what an XML round trip keeps exactly). */
  xmlSafe: boolean;
}

/** Any plist value our binary codec promises to round-trip. */
export function plistValue(shape: PlistShape): fc.Arbitrary<PlistValue> {
  const integer = shape.xmlSafe
    ? fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(0, 255, 256, 65535, 65536, 2 ** 32))
    : fc.oneof(
        fc.integer(),
        fc.maxSafeInteger(),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
        fc.constantFrom(2n ** 63n, 2n ** 64n - 1n, -(2n ** 63n), 2n ** 53n + 1n),
      );
  const real = shape.xmlSafe
    ? fc.constantFrom(0.5, -1.25, 2.1, 1.5e-300, Math.PI).map((value) => value as PlistValue)
    : fc.oneof(
        fc.double({ noNaN: true }),
        fc.constantFrom(2.0, 0).map((value) => new PlistReal(value)),
      );
  const date = fc
    .integer({ min: -30_000_000_000_000, max: 30_000_000_000_000 })
    .map((ms) => new Date(shape.xmlSafe ? Math.trunc(ms / 1000) * 1000 : ms));
  const anyText = fc.oneof(
    fc.string(),
    fc.string({ unit: "grapheme" }),
    fc.string({ unit: "binary", maxLength: 20 }),
  );
  // XML 1.0 cannot hold control characters or lone surrogates, and reads \r as \n.
  const text = shape.xmlSafe ? anyText.filter(isXmlText) : anyText;
  const leaves: fc.Arbitrary<PlistValue>[] = [
    fc.boolean(),
    integer,
    real,
    date,
    text,
    fc.uint8Array({ maxLength: 40 }),
  ];
  if (shape.nulls) leaves.push(fc.constant(null));
  if (shape.uids) leaves.push(fc.nat({ max: 2 ** 32 - 1 }).map((index) => new PlistUid(index)));
  return fc.letrec<{ value: PlistValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      ...leaves,
      fc.array(tie("value"), { maxLength: 20 }),
      fc.dictionary(text, tie("value"), { maxKeys: 20 }).map((entries) => {
        const dict = {};
        for (const [key, item] of Object.entries(entries)) setPlistKey(dict, key, item);
        return dict;
      }),
    ),
  })).value;
}

/** What a decoder gives back for a value: reals and safe bigints as plain numbers, -0 as 0. */
export function decoded(value: PlistValue): PlistValue {
  if (value instanceof PlistReal) return value.value;
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (typeof value === "number" && Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(decoded);
  if (isPlistDict(value)) {
    const dict = {};
    for (const [key, item] of Object.entries(value)) setPlistKey(dict, key, decoded(item));
    return dict;
  }
  return value;
}

/** XML 1.0 text: no control characters (\r reads back as \n), no lone surrogates, no U+FFFE/U+FFFF. */
function isXmlText(text: string): boolean {
  const units = [...text];
  return units.every((char) => {
    const code = char.codePointAt(0) as number;
    return code >= 0x20 && code !== 0xfffe && code !== 0xffff && !(code >= 0xd800 && code <= 0xdfff);
  });
}
