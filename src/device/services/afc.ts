/**
 * The virtual device's AFC (com.apple.afc), only as far as idevicebackup2 needs it: open, lock,
 * unlock and close of /com.apple.itunes.lock_sync, the file hosts lock so two of them never sync
 * at once. Other paths are not found and other operations not supported, which idevicebackup2
 * takes in its stride (its Info.plist reads of iTunes files are optional).
 *
 * Packet (libimobiledevice src/afc.h): "CFA6LPAA", then u64 little-endian entire length, header
 * length, packet number and operation; the header's own fields follow, then the payload. A reply
 * carries the request's packet number.
 */

import type { Writable } from "node:stream";
import { CradleError } from "../../core/errors.js";
import { ByteReader } from "../byte-reader.js";
import type { ExactReader } from "../plist-service.js";
import type { DeviceSyncState, VirtualService } from "../service.js";

export const AFC_SERVICE = "com.apple.afc";
const MAGIC = Buffer.from("CFA6LPAA", "latin1");
const HEADER_BYTES = 40;
/** The lock file is the only thing idevicebackup2 opens; nothing bigger than a path arrives. */
const MAX_PACKET_BYTES = 64 * 1024;
export const LOCK_SYNC_PATH = "/com.apple.itunes.lock_sync";

export const AFC_OP = {
  status: 0x01,
  fileOpen: 0x0d,
  fileOpenResult: 0x0e,
  fileClose: 0x14,
  fileLock: 0x1b,
} as const;
export const AFC_STATUS = {
  success: 0,
  invalidArgument: 7,
  notFound: 8,
  notSupported: 15,
  wouldBlock: 19,
} as const;
/** flock-style operations, always non-blocking (| 4), as libimobiledevice sends them. */
export const AFC_LOCK = { shared: 1 | 4, exclusive: 2 | 4, unlock: 8 | 4 } as const;

/** A host sent bytes that are not an AFC packet. */
export class AfcProtocolError extends CradleError {}

export interface AfcPacket {
  packetNumber: bigint;
  operation: number;
  /** The header fields and payload, together. */
  body: Buffer;
}

export function encodeAfcPacket(packet: AfcPacket): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeBigUInt64LE(BigInt(HEADER_BYTES + packet.body.length), 8);
  header.writeBigUInt64LE(BigInt(HEADER_BYTES + packet.body.length), 16);
  header.writeBigUInt64LE(packet.packetNumber, 24);
  header.writeBigUInt64LE(BigInt(packet.operation), 32);
  return Buffer.concat([header, packet.body]);
}

/** The next packet; undefined when the host closed between packets. */
export async function readAfcPacket(reader: ExactReader): Promise<AfcPacket | undefined> {
  if ((await reader.peek()) === undefined) return undefined;
  const header = await reader.read(HEADER_BYTES, "an AFC header");
  if (!header.subarray(0, 8).equals(MAGIC))
    throw new AfcProtocolError(`${reader.peer} sent an AFC packet without the CFA6LPAA magic.`, {
      peer: reader.peer,
    });
  const entire = header.readBigUInt64LE(8);
  const own = header.readBigUInt64LE(16);
  if (own < HEADER_BYTES || entire < own || entire > MAX_PACKET_BYTES)
    throw new AfcProtocolError(`${reader.peer} sent an AFC packet of ${entire} bytes.`, {
      peer: reader.peer,
      length: String(entire),
    });
  const body = await reader.read(Number(entire) - HEADER_BYTES, "an AFC packet");
  return { packetNumber: header.readBigUInt64LE(24), operation: Number(header.readBigUInt64LE(32)), body };
}

/** An AFC header field or argument: u64, little-endian. */
export function u64(value: number | bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value), 0);
  return bytes;
}

/**
 * Serves one host's AFC connection. The lock on the sync file is exclusive across every
 * connection sharing `sync` (one device): a second host is told its lock would block.
 */
export async function serveAfc(
  reader: ExactReader,
  stream: Writable,
  sync: DeviceSyncState = { journal: [] },
): Promise<void> {
  const me = {};
  try {
    await serveAfcRequests(reader, stream, sync, me);
  } finally {
    if (sync.lockHolder === me) sync.lockHolder = undefined;
  }
}

async function serveAfcRequests(
  reader: ExactReader,
  stream: Writable,
  sync: DeviceSyncState,
  me: object,
): Promise<void> {
  const handles = new Map<number, string>();
  let nextHandle = 1;
  const reply = (request: AfcPacket, operation: number, body: Buffer) =>
    new Promise<void>((resolve, reject) =>
      stream.write(encodeAfcPacket({ packetNumber: request.packetNumber, operation, body }), (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  const status = (request: AfcPacket, code: number) => reply(request, AFC_OP.status, u64(code));
  for (;;) {
    const request = await readAfcPacket(reader);
    if (request === undefined) return;
    const handle = request.body.length >= 8 ? Number(request.body.readBigUInt64LE(0)) : -1;
    switch (request.operation) {
      case AFC_OP.fileOpen: {
        // u64 mode, then the path, NUL-terminated.
        const path = request.body.subarray(8).toString("utf8").replace(/\0.*$/s, "");
        if (path !== LOCK_SYNC_PATH) {
          await status(request, AFC_STATUS.notFound);
          break;
        }
        handles.set(nextHandle, path);
        await reply(request, AFC_OP.fileOpenResult, u64(nextHandle++));
        break;
      }
      case AFC_OP.fileLock: {
        const path = handles.get(handle);
        const operation = request.body.length >= 16 ? Number(request.body.readBigUInt64LE(8)) : -1;
        if (path === undefined) await status(request, AFC_STATUS.invalidArgument);
        else if (operation === AFC_LOCK.unlock) {
          if (sync.lockHolder === me) sync.lockHolder = undefined;
          sync.journal.push(`unlock ${path}`);
          await status(request, AFC_STATUS.success);
        } else if (sync.lockHolder !== undefined && sync.lockHolder !== me)
          await status(request, AFC_STATUS.wouldBlock);
        else {
          sync.lockHolder = me;
          sync.journal.push(`lock ${path}`);
          await status(request, AFC_STATUS.success);
        }
        break;
      }
      case AFC_OP.fileClose:
        await status(request, handles.delete(handle) ? AFC_STATUS.success : AFC_STATUS.invalidArgument);
        break;
      default:
        await status(request, AFC_STATUS.notSupported);
    }
  }
}

export const afcService: VirtualService = {
  name: AFC_SERVICE,
  ssl: false,
  handler: (connection, context) =>
    serveAfc(new ByteReader(connection, "the host"), connection, context.sync),
};
