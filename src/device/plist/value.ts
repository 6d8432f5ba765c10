/**
 * The values a property list holds, as Cradle's plist codecs read and write them.
 * Integers are numbers when they fit in 2^53, else bigints (device sizes and uint64 counters do not).
 * A number that is not a safe integer (a fraction, 1e300) is a real; `PlistReal` forces a whole number to be written as a real
 * (mobilebackup2's protocol versions are reals: 2.0, 2.1). Dates are JS Dates (ms precision).
 */

/** An NSKeyedArchiver object reference (binary plists only; XML writes it as {CF$UID: n}). */
export class PlistUid {
  constructor(readonly index: number) {}
}

/** A real that must stay a real even when whole (2.0). Decoders return plain numbers. */
export class PlistReal {
  constructor(readonly value: number) {}
}

export type PlistValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Date
  | Uint8Array
  | PlistUid
  | PlistReal
  | PlistValue[]
  | PlistDict;

export type PlistDict = { [key: string]: PlistValue };

export function isPlistDict(value: PlistValue | undefined): value is PlistDict {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date) &&
    !(value instanceof PlistUid) &&
    !(value instanceof PlistReal)
  );
}

/** Sets a key as an own property, so a hostile "__proto__" key stays data. */
export function setPlistKey(dict: PlistDict, key: string, value: PlistValue): void {
  Object.defineProperty(dict, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Seconds between the Unix epoch and Apple's reference date, 2001-01-01T00:00:00Z. */
export const APPLE_EPOCH_SECONDS = 978307200;
