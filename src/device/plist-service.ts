/**
 * The one framing of lockdownd and the plist services behind it: a u32 big-endian length, then a
 * plist (XML or bplist00), read and written by Cradle's codec (src/device/plist/). lockdownd,
 * usbmux pairing and notification_proxy speak XML, DeviceLink services binary; libimobiledevice
 * 1.3.0 sends XML to lockdownd and reads either (src/property_list_service.c). The length is
 * checked before anything is allocated, reads stall out after a timeout, and every error names the peer.
 */
import type { Writable } from "node:stream";
import { DeviceProtocolError } from "./errors.js";
import {
  buildBinaryPlist,
  buildXmlPlist,
  isPlistDict,
  MalformedPlistError,
  type PlistDict,
  type PlistValue,
  parsePlist,
} from "./plist/index.js";

/** lockdownd's messages are small; services that move bulk data pass a larger limit. */
export const MAX_PLIST_MESSAGE_BYTES = 4 << 20;
/** DeviceLink messages carry manifests and file lists; real ones are kilobytes. */
export const MAX_DEVICELINK_MESSAGE_BYTES = 32 << 20;
/** libimobiledevice's default receive timeout. */
export const PLIST_REPLY_TIMEOUT_MS = 30_000;

export type { PlistDict, PlistValue };
export type PlistFormat = "xml" | "binary";

/** Exact-length reads from the connection (ByteReader has this shape). */
export interface ExactReader {
  read(length: number, what: string, timeoutMs?: number): Promise<Buffer>;
  /** The next byte without consuming it; undefined once the peer closed. */
  peek(): Promise<number | undefined>;
  readonly peer: string;
}

export function encodePlistMessage(value: PlistValue, format: PlistFormat = "xml"): Buffer {
  const body = format === "xml" ? Buffer.from(buildXmlPlist(value), "utf8") : buildBinaryPlist(value);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  return Buffer.concat([length, body]);
}

export function writePlistMessage(
  stream: Writable,
  value: PlistValue,
  format: PlistFormat = "xml",
): Promise<void> {
  return writeBytes(stream, encodePlistMessage(value, format));
}

function writeBytes(stream: Writable, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    stream.write(bytes, (error) => (error ? reject(error) : resolve())),
  );
}

export interface ReadPlistOptions {
  maxBytes?: number;
  timeoutMs?: number;
  /** Names the message in errors ("a DeviceLink message"). */
  what?: string;
}

/** The next message, or undefined when the peer closed cleanly between messages. */
export async function readPlistMessage(
  reader: ExactReader,
  { maxBytes = MAX_PLIST_MESSAGE_BYTES, timeoutMs, what = "a plist message" }: ReadPlistOptions = {},
): Promise<PlistValue | undefined> {
  if ((await reader.peek()) === undefined) return undefined;
  const length = (await reader.read(4, `the length of ${what}`, timeoutMs)).readUInt32BE(0);
  if (length === 0 || length > maxBytes)
    throw new DeviceProtocolError(
      `${reader.peer} sent ${what} of ${length} bytes; a message holds 1 to ${maxBytes} bytes.`,
      { peer: reader.peer, length },
    );
  const body = await reader.read(length, what, timeoutMs);
  try {
    return parsePlist(body, `${what} from ${reader.peer}`);
  } catch (error) {
    if (!(error instanceof MalformedPlistError)) throw error;
    throw new DeviceProtocolError(error.message, { peer: reader.peer, length });
  }
}

/** The next message as a dictionary; anything else is a protocol error. */
export async function readPlistDict(
  reader: ExactReader,
  options: ReadPlistOptions = {},
): Promise<PlistDict | undefined> {
  const value = await readPlistMessage(reader, options);
  if (value === undefined) return undefined;
  if (!isPlistDict(value))
    throw new DeviceProtocolError(`${reader.peer} sent a plist that is not a dictionary.`, {
      peer: reader.peer,
    });
  return value;
}

/** One connection speaking framed plists in one encoding (notification_proxy, DeviceLink). */
export class PlistChannel {
  constructor(
    readonly reader: ExactReader,
    private readonly stream: Writable,
    private readonly format: PlistFormat,
    private readonly maxBytes = MAX_PLIST_MESSAGE_BYTES,
  ) {}

  get peer(): string {
    return this.reader.peer;
  }

  sendPlist(value: PlistValue): Promise<void> {
    return writePlistMessage(this.stream, value, this.format);
  }

  /** The next plist; undefined when the peer closed cleanly between messages. */
  receivePlist(what: string, timeoutMs?: number): Promise<PlistValue | undefined> {
    return readPlistMessage(this.reader, { maxBytes: this.maxBytes, timeoutMs, what });
  }

  readRaw(length: number, what: string): Promise<Buffer> {
    return this.reader.read(length, what);
  }

  writeRaw(bytes: Buffer): Promise<void> {
    return writeBytes(this.stream, bytes);
  }
}
