/**
 * A virtual iPhone's mobilebackup2 handler and Cradle's client on the two ends of a socket: the
 * whole protocol runs in-process, with no usbmuxd or lockdown in between.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BackupFolderSource } from "../../../src/backup/ios-backup/folder-source.js";
import { IosTreeSource } from "../../../src/backup/sources/ios-tree.js";
import type { BackupSource } from "../../../src/backup/tree.js";
import { DeviceLinkChannel } from "../../../src/device/devicelink/channel.js";
import { MobileBackup2Client } from "../../../src/device/mobilebackup2/client.js";
import { serveMobileBackup2 } from "../../../src/device/services/mobilebackup2.js";
import { createVirtualDevice } from "../../../src/device/virtual/create.js";
import { type SocketPair, socketPair } from "../socket-pair.js";

export interface BackupPair {
  home: string;
  udid: string;
  /** The host's backup folder (idevicebackup2's DIRECTORY). */
  dir: string;
  client: MobileBackup2Client;
  sockets: SocketPair;
  /** Settles when the device handler returns or fails. */
  served: Promise<void>;
  close(): void;
}

export function makeHome(root: string): { home: string; udid: string } {
  const home = join(root, "phone");
  const created = createVirtualDevice(home, { sample: 3 });
  return { home, udid: created.udid };
}

export async function backupPair(existing?: {
  root: string;
  home: string;
  udid: string;
}): Promise<BackupPair> {
  const root = existing?.root ?? mkdtempSync(join(tmpdir(), "cradle-mb2-"));
  const { home, udid } = existing ?? makeHome(root);
  const dir = join(root, "backups");
  mkdirSync(dir, { recursive: true });
  const sockets = await socketPair();
  const device = new DeviceLinkChannel(sockets.deviceReader, sockets.deviceSocket);
  // As the virtual device's serve loop does: the connection closes when the handler returns.
  const served = serveMobileBackup2(device, { home, udid, values: {} }).finally(() =>
    sockets.deviceSocket.destroy(),
  );
  served.catch(() => undefined);
  return {
    home,
    udid,
    dir,
    client: new MobileBackup2Client(new DeviceLinkChannel(sockets.hostReader, sockets.hostSocket)),
    sockets,
    served,
    close() {
      sockets.close();
      if (!existing) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Every file of a source as "domain/path" → content, for comparing a backup with its tree. */
export async function filesOf(source: BackupSource): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const entry of source.entries()) {
    if (entry.kind !== "file") continue;
    const chunks: Buffer[] = [];
    for await (const chunk of await source.open(entry)) chunks.push(chunk as Buffer);
    files.set(`${entry.domain}/${entry.relativePath}`, Buffer.concat(chunks).toString("base64"));
  }
  await source.close?.();
  return files;
}

export const homeFiles = (home: string) => filesOf(new IosTreeSource(home));
export const backupFiles = (folder: string) => filesOf(new BackupFolderSource(folder));
export const readText = (path: string) => readFileSync(path, "utf8");
