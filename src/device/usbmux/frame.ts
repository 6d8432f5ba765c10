/**
 * usbmux framing, both roles: a 16-byte header of four little-endian u32 (total length, version,
 * message, tag), then the payload. Version 1 carries XML plists in message 8; version 0 is the
 * old binary protocol, which Cradle does not speak (libusbmuxd only falls back to it when told
 * BADVERSION). Source: libusbmuxd 2.0.2 include/usbmuxd-proto.h, usbmuxd 1.1.1 src/client.c.
 */
import type { ByteReader } from "../byte-reader.js";
import { DeviceProtocolError } from "../errors.js";
import { buildXmlPlist, type PlistValue, parsePlist } from "../plist/index.js";

export const HEADER_BYTES = 16;
export const VERSION_BINARY = 0;
export const VERSION_PLIST = 1;

export const MESSAGE = { result: 1, connect: 2, listen: 3, plist: 8 } as const;

export const RESULT = { ok: 0, badCommand: 1, badDevice: 2, connectionRefused: 3, badVersion: 6 } as const;

/** Larger than any real message (a pair record is a few KiB); a bigger length is a broken peer. */
export const MAX_PACKET_BYTES = 1 << 20;

export interface UsbmuxPacket {
  version: number;
  message: number;
  tag: number;
  payload: Buffer;
}

export type PlistDict = Record<string, unknown>;

export function writeUsbmuxPacket({ version, message, tag, payload }: UsbmuxPacket): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(HEADER_BYTES + payload.length, 0);
  header.writeUInt32LE(version, 4);
  header.writeUInt32LE(message, 8);
  header.writeUInt32LE(tag, 12);
  return Buffer.concat([header, payload]);
}

export function writePlistPacket(tag: number, body: PlistDict): Buffer {
  const payload = Buffer.from(buildXmlPlist(body as PlistValue), "utf8");
  return writeUsbmuxPacket({ version: VERSION_PLIST, message: MESSAGE.plist, tag, payload });
}

/** The next packet, or undefined when the peer closed cleanly between packets. */
export async function readUsbmuxPacket(
  reader: ByteReader,
  timeoutMs?: number,
): Promise<UsbmuxPacket | undefined> {
  if ((await reader.peek()) === undefined) return undefined;
  const header = await reader.read(HEADER_BYTES, "a usbmux header", timeoutMs);
  const length = header.readUInt32LE(0);
  if (length < HEADER_BYTES || length > MAX_PACKET_BYTES)
    throw new DeviceProtocolError(
      `${reader.peer} sent a usbmux packet of ${length} bytes; a packet holds 16 to ${MAX_PACKET_BYTES} bytes.`,
      { peer: reader.peer, length },
    );
  const payload = await reader.read(length - HEADER_BYTES, "a usbmux payload", timeoutMs);
  return {
    version: header.readUInt32LE(4),
    message: header.readUInt32LE(8),
    tag: header.readUInt32LE(12),
    payload,
  };
}

/** The payload of a plist packet as a dictionary; anything else is a protocol error. */
export function parsePlistPacket(packet: UsbmuxPacket, peer: string): PlistDict {
  if (packet.version !== VERSION_PLIST || packet.message !== MESSAGE.plist)
    throw new DeviceProtocolError(
      `${peer} sent usbmux message ${packet.message} (version ${packet.version}); only plist messages (8, version 1) are spoken here.`,
      { peer, message: packet.message, version: packet.version },
    );
  let body: unknown;
  try {
    body = parsePlist(packet.payload, "a usbmux message");
  } catch (error) {
    throw new DeviceProtocolError(`${peer} sent a usbmux message that is not a valid plist.`, {
      peer,
      cause: (error as Error).message,
    });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body) || body instanceof Uint8Array)
    throw new DeviceProtocolError(`${peer} sent a usbmux plist that is not a dictionary.`, { peer });
  return body as PlistDict;
}
