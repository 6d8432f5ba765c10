/**
 * Binary property lists ("bplist00"), both ways. Layout (Apple's CFBinaryPList.c): the magic, the
 * objects, an offset table, and a 32-byte trailer giving offset and reference sizes, the object
 * count, the top object and where the offset table starts. Written here rather than taken from the
 * `plist` package because devices need what it gets wrong: 64-bit and unsigned 64-bit integers,
 * negative integers (always 8 bytes), whole reals, and UIDs that cannot be mistaken for a dict.
 */
import { MalformedPlistError } from "./errors.js";
import {
  APPLE_EPOCH_SECONDS,
  isPlistDict,
  type PlistDict,
  PlistReal,
  PlistUid,
  type PlistValue,
  setPlistKey,
} from "./value.js";

const MAGIC = "bplist00";
const TRAILER_SIZE = 32;
/** Deeper nesting than any device message; stops self-referencing objects. */
const MAX_DEPTH = 512;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

export function isBinaryPlist(bytes: Uint8Array): boolean {
  return (
    bytes.length >= MAGIC.length && Buffer.from(bytes.subarray(0, MAGIC.length)).toString("latin1") === MAGIC
  );
}

// ---- decoding -------------------------------------------------------------------------------------

/** Parses a binary plist. `what` names the file or message in errors. */
export function parseBinaryPlist(bytes: Uint8Array, what = "binary plist"): PlistValue {
  const fail = (reason: string): never => {
    throw new MalformedPlistError(`${what} is not a valid binary plist: ${reason}.`, { what, reason });
  };
  if (!isBinaryPlist(bytes) || bytes.length < MAGIC.length + 1 + TRAILER_SIZE)
    fail("no bplist00 header or trailer");
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const trailer = buf.length - TRAILER_SIZE;
  const offsetSize = buf.readUInt8(trailer + 6);
  const refSize = buf.readUInt8(trailer + 7);
  const objectCount = buf.readBigUInt64BE(trailer + 8);
  const topObject = buf.readBigUInt64BE(trailer + 16);
  const tableOffset = buf.readBigUInt64BE(trailer + 24);
  if (offsetSize < 1 || offsetSize > 8 || refSize < 1 || refSize > 8) fail("bad offset or reference size");
  if (topObject >= objectCount) fail("the top object is out of range");
  if (
    tableOffset < BigInt(MAGIC.length) ||
    tableOffset + objectCount * BigInt(offsetSize) > BigInt(trailer)
  ) {
    fail("the offset table is out of range");
  }
  const count = Number(objectCount);
  const table = Number(tableOffset);

  const uintAt = (at: number, size: number): number => {
    if (at + size > trailer) fail("an integer runs past the object area");
    const value = size <= 6 ? buf.readUIntBE(at, size) : Number(readBigUnsigned(buf, at, size));
    if (!Number.isSafeInteger(value)) fail("an offset or count is too large");
    return value;
  };
  const offsetOf = (ref: number): number => {
    if (ref >= count) fail(`object reference ${ref} is out of range`);
    const at = uintAt(table + ref * offsetSize, offsetSize);
    if (at < MAGIC.length || at >= table) fail(`object ${ref} starts outside the object area`);
    return at;
  };
  /** A marker's length: its low nibble, or a following integer object when the nibble is 0xF. */
  const lengthAt = (at: number): { length: number; start: number } => {
    const low = buf.readUInt8(at) & 0x0f;
    if (low !== 0x0f) return { length: low, start: at + 1 };
    if (at + 1 >= trailer) fail("a length runs past the object area");
    const marker = buf.readUInt8(at + 1);
    if (marker >> 4 !== 0x1 || (marker & 0x0f) > 3) fail("a length is not an integer");
    const size = 1 << (marker & 0x0f);
    return { length: uintAt(at + 2, size), start: at + 2 + size };
  };
  const bytesAt = (start: number, length: number): Buffer => {
    if (start + length > trailer) fail("an object runs past the object area");
    return buf.subarray(start, start + length);
  };
  const refsAt = (start: number, length: number): number[] => {
    bytesAt(start, length * refSize);
    return Array.from({ length }, (_, i) => uintAt(start + i * refSize, refSize));
  };

  const onPath = new Set<number>();
  const read = (ref: number, depth: number): PlistValue => {
    if (depth > MAX_DEPTH || onPath.has(ref)) fail("objects nest too deeply or refer to themselves");
    const at = offsetOf(ref);
    const marker = buf.readUInt8(at);
    const low = marker & 0x0f;
    switch (marker >> 4) {
      case 0x0:
        if (marker === 0x08) return false;
        if (marker === 0x09) return true;
        if (marker === 0x00) return null;
        return fail(`unknown marker 0x${marker.toString(16)}`);
      case 0x1:
        return readInteger(bytesAt(at + 1, 1 << low), low, fail);
      case 0x2:
        if (low === 2) return bytesAt(at + 1, 4).readFloatBE(0);
        if (low === 3) return bytesAt(at + 1, 8).readDoubleBE(0);
        return fail("a real is neither 4 nor 8 bytes");
      case 0x3:
        if (marker !== 0x33) fail("a date is not 8 bytes");
        return new Date(Math.round((bytesAt(at + 1, 8).readDoubleBE(0) + APPLE_EPOCH_SECONDS) * 1000));
      case 0x4: {
        const { length, start } = lengthAt(at);
        return new Uint8Array(bytesAt(start, length));
      }
      case 0x5: {
        const { length, start } = lengthAt(at);
        return bytesAt(start, length).toString("latin1");
      }
      case 0x6: {
        const { length, start } = lengthAt(at);
        return Buffer.from(bytesAt(start, length * 2))
          .swap16()
          .toString("utf16le");
      }
      case 0x8:
        return new PlistUid(uintAt(at + 1, low + 1));
      case 0xa: {
        const { length, start } = lengthAt(at);
        onPath.add(ref);
        const array = refsAt(start, length).map((item) => read(item, depth + 1));
        onPath.delete(ref);
        return array;
      }
      case 0xd: {
        const { length, start } = lengthAt(at);
        const refs = refsAt(start, length * 2);
        const dict: PlistDict = {};
        onPath.add(ref);
        for (let i = 0; i < length; i++) {
          const key = read(refs[i] as number, depth + 1);
          if (typeof key !== "string") fail("a dictionary key is not a string");
          setPlistKey(dict, key as string, read(refs[length + i] as number, depth + 1));
        }
        onPath.delete(ref);
        return dict;
      }
      default:
        return fail(`unsupported marker 0x${marker.toString(16)}`);
    }
  };
  return read(Number(topObject), 0);
}

function readBigUnsigned(buf: Buffer, at: number, size: number): bigint {
  let value = 0n;
  for (let i = 0; i < size; i++) value = (value << 8n) | BigInt(buf.readUInt8(at + i));
  return value;
}

/** 1, 2 and 4-byte integers are unsigned, 8-byte signed, 16-byte the unsigned 64-bit range. */
function readInteger(bytes: Buffer, sizeLog2: number, fail: (reason: string) => never): number | bigint {
  let value: bigint;
  if (sizeLog2 <= 2) return bytes.readUIntBE(0, bytes.length);
  if (sizeLog2 === 3) value = bytes.readBigInt64BE(0);
  else if (sizeLog2 === 4) value = readBigUnsigned(bytes, 0, 16) & UINT64_MAX;
  else return fail("an integer is wider than 16 bytes");
  return Number.isSafeInteger(Number(value)) && BigInt(Number(value)) === value ? Number(value) : value;
}

// ---- encoding -------------------------------------------------------------------------------------

/** An object of the table being written; containers hold references filled in as they are laid out. */
type Flat =
  | { kind: "leaf"; bytes: Buffer }
  | { kind: "array"; refs: number[] }
  | { kind: "dict"; keys: number[]; values: number[] };

/** Writes a binary plist. Strings (and dict keys) are written once and shared. */
export function buildBinaryPlist(value: PlistValue): Buffer {
  const objects: Flat[] = [];
  const strings = new Map<string, number>();

  const add = (item: Flat): number => objects.push(item) - 1;
  const visit = (node: PlistValue, depth: number): number => {
    if (depth > MAX_DEPTH) throw new MalformedPlistError("A plist to write nests too deeply (a cycle?).", {});
    if (typeof node === "string") {
      const known = strings.get(node);
      if (known !== undefined) return known;
      const ref = add({ kind: "leaf", bytes: encodeString(node) });
      strings.set(node, ref);
      return ref;
    }
    if (Array.isArray(node)) {
      const ref = add({ kind: "array", refs: [] });
      const refs = node.map((item) => visit(item, depth + 1));
      objects[ref] = { kind: "array", refs };
      return ref;
    }
    if (isPlistDict(node)) {
      const ref = add({ kind: "dict", keys: [], values: [] });
      const entries = Object.entries(node);
      const keys = entries.map(([key]) => visit(key, depth + 1));
      const values = entries.map(([, item]) => visit(item, depth + 1));
      objects[ref] = { kind: "dict", keys, values };
      return ref;
    }
    return add({ kind: "leaf", bytes: encodeScalar(node) });
  };
  const top = visit(value, 0);

  const refSize = bytesFor(objects.length);
  const parts: Buffer[] = [Buffer.from(MAGIC, "latin1")];
  const offsets: number[] = [];
  let position = MAGIC.length;
  for (const object of objects) {
    const bytes = layOut(object, refSize);
    offsets.push(position);
    parts.push(bytes);
    position += bytes.length;
  }
  const offsetSize = bytesFor(position);
  const table = Buffer.alloc(offsets.length * offsetSize);
  offsets.forEach((offset, i) => {
    writeUnsigned(table, i * offsetSize, offsetSize, offset);
  });
  const trailer = Buffer.alloc(TRAILER_SIZE);
  trailer.writeUInt8(offsetSize, 6);
  trailer.writeUInt8(refSize, 7);
  trailer.writeBigUInt64BE(BigInt(objects.length), 8);
  trailer.writeBigUInt64BE(BigInt(top), 16);
  trailer.writeBigUInt64BE(BigInt(position), 24);
  return Buffer.concat([...parts, table, trailer]);
}

function layOut(object: Flat, refSize: number): Buffer {
  if (object.kind === "leaf") return object.bytes;
  const refs = object.kind === "array" ? object.refs : [...object.keys, ...object.values];
  const header = withLength(
    object.kind === "array" ? 0xa : 0xd,
    object.kind === "array" ? refs.length : object.keys.length,
  );
  const body = Buffer.alloc(refs.length * refSize);
  refs.forEach((ref, i) => {
    writeUnsigned(body, i * refSize, refSize, ref);
  });
  return Buffer.concat([header, body]);
}

function encodeScalar(node: Exclude<PlistValue, string | PlistValue[] | PlistDict>): Buffer {
  if (node === null) return Buffer.from([0x00]);
  if (typeof node === "boolean") return Buffer.from([node ? 0x09 : 0x08]);
  if (typeof node === "bigint") return encodeInteger(node);
  if (typeof node === "number")
    return Number.isSafeInteger(node) ? encodeInteger(BigInt(node)) : encodeReal(node);
  if (node instanceof PlistReal) return encodeReal(node.value);
  if (node instanceof Date) {
    const seconds = node.getTime() / 1000 - APPLE_EPOCH_SECONDS;
    if (Number.isNaN(seconds)) throw new MalformedPlistError("A plist to write holds an invalid Date.", {});
    const bytes = Buffer.alloc(9);
    bytes.writeUInt8(0x33, 0);
    bytes.writeDoubleBE(seconds, 1);
    return bytes;
  }
  if (node instanceof PlistUid) {
    if (!Number.isInteger(node.index) || node.index < 0 || node.index > 0xffffffff) {
      throw new MalformedPlistError(`A plist UID must be a 32-bit unsigned integer, not ${node.index}.`, {});
    }
    const size = bytesFor(node.index);
    const bytes = Buffer.alloc(1 + size);
    bytes.writeUInt8(0x80 | (size - 1), 0);
    writeUnsigned(bytes, 1, size, node.index);
    return bytes;
  }
  return Buffer.concat([
    withLength(0x4, node.length),
    Buffer.from(node.buffer, node.byteOffset, node.byteLength),
  ]);
}

function encodeReal(value: number): Buffer {
  const bytes = Buffer.alloc(9);
  bytes.writeUInt8(0x23, 0);
  bytes.writeDoubleBE(value, 1);
  return bytes;
}

/** As CFBinaryPList writes them: the smallest unsigned width, 8 bytes signed for negatives, 16 above int64. */
function encodeInteger(value: bigint): Buffer {
  if (value < INT64_MIN || value > UINT64_MAX) {
    throw new MalformedPlistError(`The integer ${value} does not fit a plist (64 bits).`, {
      value: String(value),
    });
  }
  if (value < 0n || (value >= 2n ** 32n && value < 2n ** 63n)) {
    const bytes = Buffer.alloc(9);
    bytes.writeUInt8(0x13, 0);
    bytes.writeBigInt64BE(value, 1);
    return bytes;
  }
  if (value >= 2n ** 63n) {
    const bytes = Buffer.alloc(17);
    bytes.writeUInt8(0x14, 0);
    bytes.writeBigUInt64BE(value, 9);
    return bytes;
  }
  const small = Number(value);
  const sizeLog2 = small <= 0xff ? 0 : small <= 0xffff ? 1 : 2;
  const bytes = Buffer.alloc(1 + (1 << sizeLog2));
  bytes.writeUInt8(0x10 | sizeLog2, 0);
  writeUnsigned(bytes, 1, 1 << sizeLog2, small);
  return bytes;
}

/** ASCII strings as bytes, anything else as UTF-16 big-endian code units. */
function encodeString(text: string): Buffer {
  // Every non-ASCII UTF-16 unit takes two or more UTF-8 bytes.
  if (Buffer.byteLength(text, "utf8") === text.length)
    return Buffer.concat([withLength(0x5, text.length), Buffer.from(text, "latin1")]);
  return Buffer.concat([withLength(0x6, text.length), Buffer.from(text, "utf16le").swap16()]);
}

/** A marker with its length in the low nibble, or 0xF and an integer object after it. */
function withLength(type: number, length: number): Buffer {
  if (length < 0x0f) return Buffer.from([(type << 4) | length]);
  return Buffer.concat([Buffer.from([(type << 4) | 0x0f]), encodeInteger(BigInt(length))]);
}

function bytesFor(maximum: number): number {
  if (maximum <= 0xff) return 1;
  if (maximum <= 0xffff) return 2;
  if (maximum <= 0xffffffff) return 4;
  return 8;
}

function writeUnsigned(target: Buffer, at: number, size: number, value: number): void {
  if (size === 8) target.writeBigUInt64BE(BigInt(value), at);
  else target.writeUIntBE(value, at, size);
}
