/**
 * The framing of lockdownd and the plist services behind it: a u32 big-endian length, then a
 * plist (XML or bplist00). libimobiledevice 1.3.0 sends XML to lockdownd and reads either
 * (src/property_list_service.c). The length is checked before anything is allocated.
 */
import type { Writable } from "node:stream";
import { build, buildBinary, type PlistValue, parse } from "plist";
import type { ByteReader } from "./byte-reader.js";
import { DeviceProtocolError } from "./errors.js";

/** lockdownd's messages are small; services that move bulk data pass a larger limit. */
export const MAX_PLIST_MESSAGE_BYTES = 4 << 20;
/** libimobiledevice's default receive timeout. */
export const PLIST_REPLY_TIMEOUT_MS = 30_000;

export type { PlistValue };
export type PlistFormat = "xml" | "binary";

export function encodePlistMessage(value: PlistValue, format: PlistFormat = "xml"): Buffer {
  const body = format === "xml" ? Buffer.from(build(value), "utf8") : Buffer.from(buildBinary(value));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  return Buffer.concat([length, body]);
}

export function writePlistMessage(
  stream: Writable,
  value: PlistValue,
  format: PlistFormat = "xml",
): Promise<void> {
  return new Promise((resolve, reject) =>
    stream.write(encodePlistMessage(value, format), (error) => (error ? reject(error) : resolve())),
  );
}

export interface ReadPlistOptions {
  maxBytes?: number;
  timeoutMs?: number;
}

/** The next message, or undefined when the peer closed cleanly between messages. */
export async function readPlistMessage(
  reader: ByteReader,
  { maxBytes = MAX_PLIST_MESSAGE_BYTES, timeoutMs }: ReadPlistOptions = {},
): Promise<PlistValue | undefined> {
  if ((await reader.peek()) === undefined) return undefined;
  const length = (await reader.read(4, "a plist length prefix", timeoutMs)).readUInt32BE(0);
  if (length === 0 || length > maxBytes)
    throw new DeviceProtocolError(
      `${reader.peer} sent a plist message of ${length} bytes; a message holds 1 to ${maxBytes} bytes.`,
      { peer: reader.peer, length },
    );
  const body = await reader.read(length, "a plist message", timeoutMs);
  try {
    return parsePlistBytes(body);
  } catch (error) {
    throw new DeviceProtocolError(`${reader.peer} sent a message that is not a valid plist.`, {
      peer: reader.peer,
      cause: (error as Error).message,
    });
  }
}

/** The next message as a dictionary; anything else is a protocol error. */
export async function readPlistDict(
  reader: ByteReader,
  options: ReadPlistOptions = {},
): Promise<Record<string, PlistValue> | undefined> {
  const value = await readPlistMessage(reader, options);
  if (value === undefined) return undefined;
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    value instanceof Uint8Array ||
    value instanceof Date
  )
    throw new DeviceProtocolError(`${reader.peer} sent a plist that is not a dictionary.`, {
      peer: reader.peer,
    });
  return value;
}

/**
 * A plist in either encoding. plist's parse takes bytes as binary only, so XML goes in as text;
 * bytes that are neither are refused before the XML parser sees them (it logs what it rejects).
 */
export function parsePlistBytes(bytes: Uint8Array): PlistValue {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.subarray(0, 6).toString("latin1") === "bplist") return parse(buffer);
  const text = buffer.toString("utf8");
  if (!/^\s*</.test(text.replace(/^\uFEFF/, ""))) throw new Error("neither an XML nor a binary plist");
  return parse(text);
}
