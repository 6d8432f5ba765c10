/**
 * Just enough binary-plist ("bplist00") reading to unwrap an NSKeyedArchiver string, which is how
 * Accounts3.sqlite stores ZDATACLASS.ZNAME. The `plist` dependency reads only XML plists.
 * Format: Apple's CFBinaryPList.c; the trailer is the last 32 bytes of the file.
 */

/** An NSKeyedArchiver object reference. */
export class PlistUid {
  constructor(readonly index: number) {}
}

export type PlistValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | PlistUid
  | PlistValue[]
  | { [key: string]: PlistValue };

const MAGIC = "bplist00";
/** Real archives nest a few levels; the limit stops malformed self-references. */
const MAX_DEPTH = 64;

export function isBinaryPlist(bytes: Uint8Array): boolean {
  return bytes.length >= 40 && Buffer.from(bytes.subarray(0, 8)).toString("latin1") === MAGIC;
}

/** Parses a binary plist; throws Error on anything malformed. */
export function parseBinaryPlist(bytes: Uint8Array): PlistValue {
  if (!isBinaryPlist(bytes)) throw new Error("not a binary plist");
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const trailer = buf.length - 32;
  const offsetSize = buf.readUInt8(trailer + 6);
  const refSize = buf.readUInt8(trailer + 7);
  const objectCount = Number(buf.readBigUInt64BE(trailer + 8));
  const top = Number(buf.readBigUInt64BE(trailer + 16));
  const tableOffset = Number(buf.readBigUInt64BE(trailer + 24));
  if (top >= objectCount || tableOffset + objectCount * offsetSize > trailer) {
    throw new Error("binary plist trailer is out of range");
  }

  const uint = (at: number, size: number): number => {
    if (size < 1 || size > 6 || at + size > buf.length) throw new Error("bad integer size in binary plist");
    return buf.readUIntBE(at, size);
  };
  const offsetOf = (ref: number): number => {
    if (ref >= objectCount) throw new Error("object reference out of range");
    return uint(tableOffset + ref * offsetSize, offsetSize);
  };
  /** A marker's count: the low nibble, or a following int object when the nibble is 0xF. */
  const countAt = (at: number): { count: number; start: number } => {
    const low = buf.readUInt8(at) & 0x0f;
    if (low !== 0x0f) return { count: low, start: at + 1 };
    const intMarker = buf.readUInt8(at + 1);
    if (intMarker >> 4 !== 0x1) throw new Error("bad length marker in binary plist");
    const size = 1 << (intMarker & 0x0f);
    return { count: uint(at + 2, size), start: at + 2 + size };
  };
  const slice = (start: number, length: number): Buffer => {
    if (start + length > trailer) throw new Error("binary plist object runs past its end");
    return buf.subarray(start, start + length);
  };

  const read = (ref: number, depth: number): PlistValue => {
    if (depth > MAX_DEPTH) throw new Error("binary plist nests too deeply");
    const at = offsetOf(ref);
    const marker = buf.readUInt8(at);
    const low = marker & 0x0f;
    switch (marker >> 4) {
      case 0x0:
        if (marker === 0x08) return false;
        if (marker === 0x09) return true;
        return null;
      case 0x1: {
        const size = 1 << low;
        if (size === 8) return Number(buf.readBigInt64BE(at + 1));
        return uint(at + 1, size);
      }
      case 0x2:
        return low === 2 ? buf.readFloatBE(at + 1) : buf.readDoubleBE(at + 1);
      case 0x3:
        return buf.readDoubleBE(at + 1);
      case 0x4: {
        const { count, start } = countAt(at);
        return new Uint8Array(slice(start, count));
      }
      case 0x5: {
        const { count, start } = countAt(at);
        return slice(start, count).toString("latin1");
      }
      case 0x6: {
        const { count, start } = countAt(at);
        return Buffer.from(slice(start, count * 2))
          .swap16()
          .toString("utf16le");
      }
      case 0x8:
        return new PlistUid(uint(at + 1, low + 1));
      case 0xa: {
        const { count, start } = countAt(at);
        return Array.from({ length: count }, (_, i) => read(uint(start + i * refSize, refSize), depth + 1));
      }
      case 0xd: {
        const { count, start } = countAt(at);
        const dict: { [key: string]: PlistValue } = {};
        for (let i = 0; i < count; i++) {
          const key = read(uint(start + i * refSize, refSize), depth + 1);
          if (typeof key !== "string") throw new Error("binary plist dictionary key is not a string");
          dict[key] = read(uint(start + (count + i) * refSize, refSize), depth + 1);
        }
        return dict;
      }
      default:
        throw new Error(`unsupported binary plist marker 0x${marker.toString(16)}`);
    }
  };
  return read(top, 0);
}

const isDict = (v: PlistValue | undefined): v is { [key: string]: PlistValue } =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Uint8Array) &&
  !(v instanceof PlistUid);

/**
 * The string an NSKeyedArchiver archive holds at its root (`$objects[$top.root]`), whether archived
 * as a plain string or as an NSMutableString dict (`NS.string`); undefined for anything else.
 */
export function unarchiveString(bytes: Uint8Array): string | undefined {
  const archive = parseBinaryPlist(bytes);
  if (!isDict(archive)) return undefined;
  const objects = archive.$objects;
  const top = archive.$top;
  if (!Array.isArray(objects) || !isDict(top) || !(top.root instanceof PlistUid)) return undefined;
  const root = objects[top.root.index];
  if (typeof root === "string") return root;
  if (isDict(root) && typeof root["NS.string"] === "string") return root["NS.string"];
  return undefined;
}
