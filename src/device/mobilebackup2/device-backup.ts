/**
 * `cradle device backup` / `restore` as library calls: a paired device found through usbmuxd, its
 * mobilebackup2 service started with the pair record's escrow bag (the device refuses it without),
 * and the client run over it. Each call opens and closes its own lockdown session.
 */
import type { Duplex } from "node:stream";
import { ByteReader } from "../byte-reader.js";
import { DeviceLinkChannel } from "../devicelink/channel.js";
import { type DeviceOptions, DeviceSession } from "../lockdown/session.js";
import { type SyncLockOptions, withSyncLock } from "../sync-lock.js";
import { type BackupResult, MobileBackup2Client, type RestoreOptions } from "./client.js";
import type { TransferProgress } from "./host-folder.js";
import { MOBILEBACKUP2_SERVICE } from "./messages.js";

export interface DeviceBackupOptions extends DeviceOptions {
  dir: string;
  syncLock?: SyncLockOptions;
  full?: boolean;
  onProgress?: TransferProgress;
}

export type DeviceRestoreOptions = DeviceOptions &
  Omit<RestoreOptions, "udid"> & { syncLock?: SyncLockOptions };

export function backupDevice(options: DeviceBackupOptions): Promise<BackupResult & { udid: string }> {
  return withMobileBackup2(options, async (client, udid) => ({
    udid,
    ...(await client.backup({ dir: options.dir, udid, full: options.full, onProgress: options.onProgress })),
  }));
}

export function restoreDevice(options: DeviceRestoreOptions): Promise<{ udid: string }> {
  return withMobileBackup2(options, async (client, udid) => {
    await client.restore({ ...options, udid });
    return { udid };
  });
}

/** Runs `use` over mobilebackup2 while holding the device's sync lock, as idevicebackup2 does. */
async function withMobileBackup2<T>(
  options: DeviceOptions & { syncLock?: SyncLockOptions },
  use: (client: MobileBackup2Client, udid: string) => Promise<T>,
): Promise<T> {
  const session = await DeviceSession.open(options);
  let stream: Duplex | undefined;
  try {
    const udid = session.device.udid;
    return await withSyncLock(
      session,
      async () => {
        stream = await session.startService(MOBILEBACKUP2_SERVICE, { escrowBag: session.record.EscrowBag });
        const client = new MobileBackup2Client(
          new DeviceLinkChannel(new ByteReader(stream, `mobilebackup2 on ${udid}`), stream),
        );
        await client.hello();
        const result = await use(client, udid);
        await client.disconnect();
        return result;
      },
      options.syncLock,
    );
  } finally {
    stream?.destroy();
    await session.close();
  }
}
