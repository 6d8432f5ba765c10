import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AFC_OP,
  AFC_STATUS,
  type AfcPacket,
  encodeAfcPacket,
  LOCK_SYNC_PATH,
  readAfcPacket,
  serveAfc,
} from "../../../src/device/services/afc.js";
import { type SocketPair, socketPair } from "../socket-pair.js";

let pair: SocketPair;
let served: Promise<void>;
beforeEach(async () => {
  pair = await socketPair();
  served = serveAfc(pair.deviceReader, pair.deviceSocket);
});
afterEach(() => pair.close());

let packetNumber = 0n;
async function call(operation: number, body: Buffer): Promise<AfcPacket> {
  packetNumber++;
  pair.hostSocket.write(encodeAfcPacket({ packetNumber, operation, body }));
  const reply = await readAfcPacket(pair.hostReader);
  if (!reply) throw new Error("no reply");
  expect(reply.packetNumber).toBe(packetNumber);
  return reply;
}
const u64 = (value: number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
};
const open = (path: string) => call(AFC_OP.fileOpen, Buffer.concat([u64(3), Buffer.from(`${path}\0`)]));
const statusOf = (reply: AfcPacket) => Number(reply.body.readBigUInt64LE(0));

describe("the virtual device's AFC", () => {
  it("opens, locks, unlocks and closes the sync lock file as idevicebackup2 does", async () => {
    const opened = await open(LOCK_SYNC_PATH);
    expect(opened.operation).toBe(AFC_OP.fileOpenResult);
    const handle = Number(opened.body.readBigUInt64LE(0));
    expect(statusOf(await call(AFC_OP.fileLock, Buffer.concat([u64(handle), u64(2 | 4)])))).toBe(0);
    expect(statusOf(await call(AFC_OP.fileLock, Buffer.concat([u64(handle), u64(8)])))).toBe(0);
    expect(statusOf(await call(AFC_OP.fileClose, u64(handle)))).toBe(0);
    expect(statusOf(await call(AFC_OP.fileClose, u64(handle)))).toBe(AFC_STATUS.invalidArgument);
  });

  it("answers other paths with not-found and other operations with not-supported", async () => {
    expect(statusOf(await open("/iTunes_Control/iTunes/iTunesPrefs"))).toBe(AFC_STATUS.notFound);
    expect(statusOf(await call(0x03, Buffer.from("/\0")))).toBe(AFC_STATUS.notSupported);
  });

  it("refuses a packet without the magic", async () => {
    pair.hostSocket.write(Buffer.alloc(40));
    await expect(served).rejects.toMatchObject({ code: "AfcProtocolError" });
  });
});
