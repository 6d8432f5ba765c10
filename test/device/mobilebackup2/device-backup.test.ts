import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DeviceSession } from "../../../src/device/lockdown/session.js";
import { backupDevice, restoreDevice } from "../../../src/device/mobilebackup2/device-backup.js";
import { pairDevice } from "../../../src/device/pairing/pair.js";
import { AFC_LOCK, AFC_OP, AFC_SERVICE, encodeAfcPacket } from "../../../src/device/services/afc.js";
import { SYNC_NOTIFICATION, SyncLockBusyError } from "../../../src/device/sync-lock.js";
import { parseUsbmuxAddress } from "../../../src/device/usbmux/address.js";
import { UsbmuxClient } from "../../../src/device/usbmux/client.js";
import { VIRTUAL_SERVICES } from "../../../src/device/virtual-device/services.js";
import { type ServedFixture, serveFixture } from "../serve-helpers.js";
import { backupFiles, homeFiles } from "./backup-pair.js";

let fixture: ServedFixture | undefined;
afterEach(async () => {
  await fixture?.served.close();
  fixture = undefined;
});

/** A served virtual iPhone, paired, and an empty folder for its backups. */
async function pairedDevice() {
  const device = await serveFixture({ services: VIRTUAL_SERVICES });
  fixture = device;
  const usbmux = new UsbmuxClient(parseUsbmuxAddress(device.address));
  const records = device.clientRecords;
  await pairDevice({ usbmux, records });
  const dir = join(device.dir, "backups");
  mkdirSync(dir);
  return { usbmux, records, dir, device };
}

describe("backupDevice and restoreDevice over usbmuxd, lockdown and TLS", () => {
  it("back the served virtual iPhone up and restore it", async () => {
    const { usbmux, records, dir, device } = await pairedDevice();

    const result = await backupDevice({ usbmux, records, dir, full: true });
    expect(result.udid).toBe(device.served.udid);
    expect(result.filesReceived).toBeGreaterThan(3);
    const backedUp = await backupFiles(result.folder);
    expect(backedUp).toEqual(await homeFiles(device.home));

    writeFileSync(join(device.home, "Library/AddressBook/AddressBook.sqlitedb"), "clobbered");
    await restoreDevice({ usbmux, records, dir });
    const now = await homeFiles(device.home);
    expect(new Map([...now].filter(([path]) => backedUp.has(path)))).toEqual(backedUp);
    expect(device.errors).toEqual([]);
  });

  it("hold the device's sync lock with idevicebackup2's notifications around the backup", async () => {
    const { usbmux, records, dir, device } = await pairedDevice();
    await backupDevice({ usbmux, records, dir, full: true });
    expect(device.served.journal).toEqual([
      `post ${SYNC_NOTIFICATION.willStart}`,
      `post ${SYNC_NOTIFICATION.lockRequest}`,
      "lock /com.apple.itunes.lock_sync",
      `post ${SYNC_NOTIFICATION.didStart}`,
      "unlock /com.apple.itunes.lock_sync",
      `post ${SYNC_NOTIFICATION.didFinish}`,
    ]);
  });

  it("refuse to back up while another host holds the sync lock, and write nothing", async () => {
    const { usbmux, records, dir, device } = await pairedDevice();
    // Another host: open the lock file and lock it over its own AFC connection.
    const other = await DeviceSession.open({ usbmux, records });
    const afc = await other.startService(AFC_SERVICE);
    const replies: Buffer[] = [];
    afc.on("data", (chunk: Buffer) => replies.push(chunk));
    const path = Buffer.from("/com.apple.itunes.lock_sync\0", "utf8");
    const mode = Buffer.alloc(8);
    mode.writeBigUInt64LE(2n);
    afc.write(
      encodeAfcPacket({ packetNumber: 0n, operation: AFC_OP.fileOpen, body: Buffer.concat([mode, path]) }),
    );
    const lock = Buffer.alloc(16);
    lock.writeBigUInt64LE(1n, 0);
    lock.writeBigUInt64LE(BigInt(AFC_LOCK.exclusive), 8);
    afc.write(encodeAfcPacket({ packetNumber: 1n, operation: AFC_OP.fileLock, body: lock }));
    while (!device.served.journal.includes("lock /com.apple.itunes.lock_sync"))
      await new Promise((resolve) => setTimeout(resolve, 10));

    const error = await backupDevice({
      usbmux,
      records,
      dir,
      full: true,
      syncLock: { attempts: 3, retryMs: 5 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncLockBusyError);
    expect((error as Error).message).toMatch(/Another computer is syncing/);
    expect(readdirSync(dir)).toEqual([]);
    expect(device.served.journal.filter((line) => line.startsWith("lock"))).toHaveLength(1);
    afc.destroy();
    await other.close();
  });
});
