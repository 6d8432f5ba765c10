/**
 * Cradle's side of com.apple.mobilebackup2: back a device up into a Finder-style backup folder
 * (DIR/<udid>, what idevicebackup2 and Finder make), restore one, or ask what the last backup holds.
 *
 * A backup never touches DIR/<udid> until it is complete: the device writes into a staging folder
 * beside it (the previous backup hard-linked in, so incremental backups cost no copy; every write
 * replaces a file, so the old backup's files are never changed), and only a final ErrorCode 0 with
 * Status.plist "finished" renames it into place. A device that disconnects or fails leaves DIR as
 * it was.
 *
 * @example
 * const client = new MobileBackup2Client(channel);
 * await client.hello();
 * await client.backup({ dir: "/backups", udid, onProgress: ({ loaded, total }) => ... });
 */
import { existsSync } from "node:fs";
import { link, mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { assertReplaceable, placeBackup } from "../../backup/ios-backup/place.js";
import type { DeviceLinkChannel } from "../devicelink/channel.js";
import {
  acceptDeviceLinkVersion,
  processMessageBody,
  receiveProcessMessage,
  sendDisconnect,
  sendProcessMessage,
} from "../devicelink/messages.js";
import { type PlistDict, parsePlistDict } from "../plist/index.js";
import { MobileBackup2Error } from "./errors.js";
import { HostFolder, type TransferProgress } from "./host-folder.js";
import {
  HOST_DEVICELINK_MAJOR,
  helloMessage,
  MOBILEBACKUP2_SERVICE,
  type Request,
  writeRequest,
} from "./messages.js";

export interface BackupOptions {
  /** The folder holding one subfolder per device, as idevicebackup2's DIRECTORY. */
  dir: string;
  udid: string;
  /** Ask for a full backup even when the folder holds an earlier one. */
  full?: boolean;
  onProgress?: TransferProgress;
}

export interface BackupResult {
  /** DIR/<udid>, the finished backup. */
  folder: string;
  filesReceived: number;
  bytesReceived: number;
}

export interface RestoreOptions {
  dir: string;
  udid: string;
  /** Restore the backup of another device (its UDID) onto this one. */
  source?: string;
  /** Restore system files too (idevicebackup2 --system). */
  system?: boolean;
  onProgress?: TransferProgress;
}

export class MobileBackup2Client {
  static readonly SERVICE_NAME = MOBILEBACKUP2_SERVICE;

  constructor(private readonly channel: DeviceLinkChannel) {}

  /** The DeviceLink version exchange and Hello; returns the protocol version agreed on. */
  async hello(): Promise<number> {
    await acceptDeviceLinkVersion(this.channel, HOST_DEVICELINK_MAJOR);
    await sendProcessMessage(this.channel, helloMessage());
    const answer = await receiveProcessMessage(this.channel);
    if (answer.ErrorCode !== 0 || typeof answer.ProtocolVersion !== "number")
      throw new MobileBackup2Error(
        `${this.channel.peer} shares no mobilebackup2 protocol version with Cradle (it answered ErrorCode ${String(answer.ErrorCode)}).`,
        { peer: this.channel.peer },
      );
    return answer.ProtocolVersion;
  }

  /** Returns what the device sent (an incremental backup sends only what changed). */
  async backup(options: BackupOptions): Promise<BackupResult> {
    const target = join(options.dir, options.udid);
    assertReplaceable(target);
    const staging = await mkdtemp(join(options.dir, `.${options.udid}.cradle-partial-`));
    try {
      const built = join(staging, options.udid);
      if (existsSync(target)) await linkTree(target, built);
      else await mkdir(built);
      const request: Request = {
        name: "Backup",
        target: options.udid,
        ...(options.full ? { options: { ForceFullBackup: true } } : {}),
      };
      const folder = new HostFolder(staging, this.channel, true, options.onProgress);
      await this.run(request, folder);
      const status = await readStatus(built);
      if (status?.SnapshotState !== "finished")
        throw new MobileBackup2Error(
          `${this.channel.peer} ended the backup without a finished Status.plist; ${target} was left as it was.`,
          { target },
        );
      await folder.flush();
      await placeBackup(built, target);
      return { folder: target, filesReceived: folder.filesReceived, bytesReceived: folder.bytesReceived };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  async restore(options: RestoreOptions): Promise<void> {
    const source = options.source ?? options.udid;
    const status = await readStatus(join(options.dir, source));
    if (status?.SnapshotState !== "finished")
      throw new MobileBackup2Error(
        `${join(options.dir, source)} holds no finished backup (Status.plist); nothing was restored.`,
        { dir: options.dir, source },
      );
    const request: Request = {
      name: "Restore",
      target: options.udid,
      ...(options.source ? { source: options.source } : {}),
      options: {
        RestoreSystemFiles: options.system === true,
        RestoreShouldReboot: false,
        RestoreDontCopyBackup: true,
        RestorePreserveSettings: true,
      },
    };
    await this.run(request, new HostFolder(options.dir, this.channel, false, options.onProgress));
  }

  /** The device's summary of the backup in DIR (its Content text). */
  async info(dir: string, udid: string): Promise<string> {
    return contentOf(
      await this.run({ name: "Info", target: udid }, new HostFolder(dir, this.channel, false)),
    );
  }

  /** The files of the backup in DIR, as CSV. */
  async list(dir: string, udid: string): Promise<string> {
    return contentOf(
      await this.run({ name: "List", target: udid }, new HostFolder(dir, this.channel, false)),
    );
  }

  disconnect(): Promise<void> {
    return sendDisconnect(this.channel);
  }

  /** Sends a request and answers the device's file requests until its final ProcessMessage. */
  private async run(request: Request, folder: HostFolder): Promise<PlistDict> {
    await sendProcessMessage(this.channel, writeRequest(request));
    for (;;) {
      const message = await this.channel.receive();
      if (message[0] === "DLMessageDisconnect")
        throw new MobileBackup2Error(`${this.channel.peer} disconnected during ${request.name}.`, {
          request: request.name,
        });
      if (message[0] !== "DLMessageProcessMessage") {
        await folder.handle(message);
        continue;
      }
      const answer = processMessageBody(this.channel, message[1]);
      if (answer.ErrorCode !== 0)
        throw new MobileBackup2Error(
          `${this.channel.peer} ended ${request.name} with ErrorCode ${String(answer.ErrorCode)}: ${String(answer.ErrorDescription ?? "no description")}.`,
          { request: request.name, errorCode: String(answer.ErrorCode) },
        );
      return answer;
    }
  }
}

async function readStatus(folder: string): Promise<PlistDict | undefined> {
  const path = join(folder, "Status.plist");
  if (!existsSync(path)) return undefined;
  return parsePlistDict(await readFile(path), path);
}

const contentOf = (answer: PlistDict) => (typeof answer.Content === "string" ? answer.Content : "");

/** Recreates `from` at `to` with hard links: the same files, no bytes copied. */
async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to);
  for (const entry of await readdir(from, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const copy = join(to, relative(from, path));
    if (entry.isDirectory()) await mkdir(copy, { recursive: true });
    else if (entry.isFile()) {
      await mkdir(dirname(copy), { recursive: true });
      await link(path, copy);
    }
  }
}
