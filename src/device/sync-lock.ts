/**
 * What a host does around a backup or restore so the device knows a sync is running and no two
 * hosts sync at once, in idevicebackup2's order: post syncWillStart, open the sync lock file over
 * AFC, post syncLockRequest, take an exclusive non-blocking lock (retrying while another host
 * holds it), post syncDidStart; afterwards unlock, close and post syncDidFinish.
 */
import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { CradleError } from "../core/errors.js";
import { ByteReader } from "./byte-reader.js";
import type { DeviceSession } from "./lockdown/session.js";
import { NotificationProxyClient } from "./notification-proxy/client.js";
import { NOTIFICATION_PROXY_SERVICE } from "./notification-proxy/messages.js";
import { PlistChannel } from "./plist-service.js";
import {
  AFC_LOCK,
  AFC_OP,
  AFC_SERVICE,
  AFC_STATUS,
  encodeAfcPacket,
  LOCK_SYNC_PATH,
  readAfcPacket,
  u64,
} from "./services/afc.js";

export const SYNC_NOTIFICATION = {
  willStart: "com.apple.itunes-mobdev.syncWillStart",
  lockRequest: "com.apple.itunes-mobdev.syncLockRequest",
  didStart: "com.apple.itunes-mobdev.syncDidStart",
  didFinish: "com.apple.itunes-mobdev.syncDidFinish",
} as const;

/** AFC's "read/write, create" open mode (AFC_FOPEN_RW). */
const OPEN_READ_WRITE = 2;

/** Another host (Finder, iTunes, another Cradle) holds the device's sync lock. */
export class SyncLockBusyError extends CradleError {}

export interface SyncLockOptions {
  /** Lock attempts before giving up (idevicebackup2: 50, 200 ms apart). */
  attempts?: number;
  retryMs?: number;
}

/** Runs `use` while holding the device's sync lock, with the notifications around it. */
export async function withSyncLock<T>(
  session: DeviceSession,
  use: () => Promise<T>,
  { attempts = 50, retryMs = 200 }: SyncLockOptions = {},
): Promise<T> {
  const proxyStream = await session.startService(NOTIFICATION_PROXY_SERVICE);
  const afcStream = await session.startService(AFC_SERVICE);
  const proxy = new NotificationProxyClient(
    new PlistChannel(new ByteReader(proxyStream, "notification_proxy"), proxyStream, "xml"),
  );
  const afc = new AfcClient(afcStream);
  try {
    await proxy.post(SYNC_NOTIFICATION.willStart);
    const handle = await afc.open(LOCK_SYNC_PATH, OPEN_READ_WRITE);
    await proxy.post(SYNC_NOTIFICATION.lockRequest);
    for (let attempt = 1; ; attempt++) {
      const status = await afc.lock(handle, AFC_LOCK.exclusive);
      if (status === AFC_STATUS.success) break;
      if (status !== AFC_STATUS.wouldBlock || attempt >= attempts) {
        await afc.close(handle);
        throw new SyncLockBusyError(
          status === AFC_STATUS.wouldBlock
            ? `Another computer is syncing with ${session.device.udid}; try again when it has finished.`
            : `${session.device.udid} refused the sync lock (AFC status ${status}).`,
          { udid: session.device.udid, status: String(status) },
        );
      }
      await sleep(retryMs);
    }
    await proxy.post(SYNC_NOTIFICATION.didStart);
    try {
      return await use();
    } finally {
      await afc.lock(handle, AFC_LOCK.unlock);
      await afc.close(handle);
      await proxy.post(SYNC_NOTIFICATION.didFinish);
    }
  } finally {
    afcStream.destroy();
    proxyStream.destroy();
  }
}

/** The few AFC requests the sync lock needs, one at a time. */
class AfcClient {
  private readonly reader: ByteReader;
  private packetNumber = 0n;

  constructor(private readonly stream: Duplex) {
    this.reader = new ByteReader(stream, "AFC");
  }

  async open(path: string, mode: number): Promise<bigint> {
    const reply = await this.request(
      AFC_OP.fileOpen,
      Buffer.concat([u64(mode), Buffer.from(`${path}\0`, "utf8")]),
    );
    if (reply.operation === AFC_OP.fileOpenResult && reply.body.length >= 8)
      return reply.body.readBigUInt64LE(0);
    throw new SyncLockBusyError(`The device would not open ${path} over AFC (status ${statusOf(reply)}).`, {
      path,
    });
  }

  async lock(handle: bigint, operation: number): Promise<number> {
    return statusOf(await this.request(AFC_OP.fileLock, Buffer.concat([u64(handle), u64(operation)])));
  }

  async close(handle: bigint): Promise<void> {
    await this.request(AFC_OP.fileClose, u64(handle));
  }

  private async request(operation: number, body: Buffer) {
    const packetNumber = this.packetNumber++;
    this.stream.write(encodeAfcPacket({ packetNumber, operation, body }));
    const reply = await readAfcPacket(this.reader);
    if (reply === undefined) throw new SyncLockBusyError("The device closed AFC during the sync lock.");
    return reply;
  }
}

function statusOf(reply: { operation: number; body: Buffer }): number {
  return reply.operation === AFC_OP.status && reply.body.length >= 8
    ? Number(reply.body.readBigUInt64LE(0))
    : -1;
}
