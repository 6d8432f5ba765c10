import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildBinaryPlist,
  MalformedPlistError,
  PlistReal,
  PlistUid,
  type PlistValue,
  parseBinaryPlist,
} from "../../../src/device/plist/index.js";
import { decoded, plistValue } from "./arbitraries.js";

const roundTrip = (value: PlistValue) => parseBinaryPlist(buildBinaryPlist(value));

describe("binary plist codec", () => {
  it("reads back every value it writes", () => {
    fc.assert(
      fc.property(plistValue({ nulls: true, uids: true, xmlSafe: false }), (value) => {
        expect(roundTrip(value)).toEqual(decoded(value));
      }),
    );
  });

  it("writes integers at the widths CFBinaryPList uses", () => {
    const marker = (value: number | bigint) => buildBinaryPlist(value)[8];
    expect(marker(255)).toBe(0x10);
    expect(marker(256)).toBe(0x11);
    expect(marker(65536)).toBe(0x12);
    expect(marker(2 ** 32)).toBe(0x13);
    expect(marker(-1)).toBe(0x13);
    expect(marker(2n ** 63n)).toBe(0x14);
    expect(roundTrip(2n ** 64n - 1n)).toBe(2n ** 64n - 1n);
    expect(roundTrip(-(2n ** 63n))).toBe(-(2n ** 63n));
    expect(() => buildBinaryPlist(2n ** 64n)).toThrow(MalformedPlistError);
  });

  it("keeps a whole PlistReal a real and dates on the 2001 epoch", () => {
    const bytes = buildBinaryPlist([new PlistReal(2), new Date("2001-01-01T00:01:00Z")]);
    expect([...bytes.subarray(bytes.indexOf(0x23), bytes.indexOf(0x23) + 9)]).toEqual([
      0x23, 0x40, 0, 0, 0, 0, 0, 0, 0,
    ]);
    const date = bytes.indexOf(0x33);
    expect(bytes.readDoubleBE(date + 1)).toBe(60);
  });

  it("writes a repeated string once", () => {
    const once = buildBinaryPlist(["a long repeated key"]).length;
    const thrice = buildBinaryPlist(Array(3).fill("a long repeated key")).length;
    expect(thrice - once).toBe(2);
  });

  it("writes non-ASCII strings as UTF-16 and UIDs of the smallest width", () => {
    expect(roundTrip("Grüße 👋")).toBe("Grüße 👋");
    expect(buildBinaryPlist("é")[8]).toBe(0x61);
    expect(buildBinaryPlist(new PlistUid(1))[8]).toBe(0x80);
    expect(buildBinaryPlist(new PlistUid(300))[8]).toBe(0x81);
  });

  it("keeps a __proto__ key as data", () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}') as PlistValue;
    const back = roundTrip(hostile) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("binary plist codec on broken input", () => {
  const good = buildBinaryPlist({ list: [1, "two", new Uint8Array([3])], n: 4 });
  const broken = (mutate: (bytes: Buffer) => Buffer) => () =>
    parseBinaryPlist(mutate(Buffer.from(good)), "msg.plist");

  it.each([
    ["truncated", (b: Buffer) => b.subarray(0, b.length - 5)],
    ["no magic", (b: Buffer) => Buffer.concat([Buffer.from("bplist01"), b.subarray(8)])],
    ["top object out of range", (b: Buffer) => patched(b, (t) => t.writeBigUInt64BE(99n, t.length - 16))],
    [
      "offset table past the end",
      (b: Buffer) => patched(b, (t) => t.writeBigUInt64BE(2n ** 40n, t.length - 8)),
    ],
    ["reference size 0", (b: Buffer) => patched(b, (t) => t.writeUInt8(0, t.length - 25))],
    ["only a header", () => Buffer.from("bplist00")],
  ])("refuses %s with an error naming the input", (_name, mutate) => {
    expect(broken(mutate)).toThrow(MalformedPlistError);
    expect(broken(mutate)).toThrow(/msg\.plist/);
  });

  it("refuses an array that contains itself", () => {
    // bplist00, object 0 = array of one reference to object 0.
    const bytes = Buffer.concat([
      Buffer.from("bplist00"),
      Buffer.from([0xa1, 0x00]),
      Buffer.from([0x08]),
      trailer({ offsetSize: 1, refSize: 1, objects: 1, top: 0, table: 10 }),
    ]);
    expect(() => parseBinaryPlist(bytes)).toThrow(/refer to themselves/);
  });

  it("never throws anything but MalformedPlistError on random corruption", () => {
    fc.assert(
      fc.property(fc.nat({ max: good.length - 1 }), fc.nat({ max: 255 }), (at, byte) => {
        const bytes = Buffer.from(good);
        bytes[at] = byte;
        try {
          parseBinaryPlist(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedPlistError);
        }
      }),
    );
  });
});

function patched(bytes: Buffer, patch: (bytes: Buffer) => void): Buffer {
  patch(bytes);
  return bytes;
}

function trailer(t: {
  offsetSize: number;
  refSize: number;
  objects: number;
  top: number;
  table: number;
}): Buffer {
  const bytes = Buffer.alloc(32);
  bytes.writeUInt8(t.offsetSize, 6);
  bytes.writeUInt8(t.refSize, 7);
  bytes.writeBigUInt64BE(BigInt(t.objects), 8);
  bytes.writeBigUInt64BE(BigInt(t.top), 16);
  bytes.writeBigUInt64BE(BigInt(t.table), 24);
  return bytes;
}
