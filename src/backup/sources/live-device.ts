/**
 * A device on USB as a backup source (`device:UDID`): the device backs itself up over
 * mobilebackup2, as idevicebackup2 does, into a staging Finder folder, which is then read like
 * any backup folder. Streaming straight into the repository would save the staging space; the
 * folder keeps the device protocol and the repository apart, and the repository sees nothing
 * until the device said it finished. close() removes the staging folder.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { backupDevice, type DeviceBackupOptions } from "../../device/mobilebackup2/device-backup.js";
import { BackupFolderSource } from "../ios-backup/index.js";
import type { BackupSource, MissingEntry, SourceDevice, TreeEntry } from "../tree.js";

export interface LiveDeviceSourceOptions extends Omit<DeviceBackupOptions, "dir" | "full"> {
  /** Where the staging folder goes (default: the system's temp dir). */
  stagingParent?: string;
}

export class LiveDeviceSource implements BackupSource {
  private folder?: Promise<BackupFolderSource>;
  private fetched?: BackupFolderSource;
  private staging?: string;
  /** The device that answered (the options may name none when one device is attached). */
  private udid?: string;

  constructor(private readonly options: LiveDeviceSourceOptions = {}) {}

  get uri(): string {
    return `device:${this.udid ?? this.options.udid ?? ""}`;
  }

  async device(): Promise<SourceDevice> {
    return (await this.fetch()).device();
  }

  async *entries(): AsyncIterable<TreeEntry> {
    yield* (await this.fetch()).entries();
  }

  async open(entry: TreeEntry): Promise<Readable> {
    return (await this.fetch()).open(entry);
  }

  missing(): MissingEntry[] {
    return this.fetched?.missing() ?? [];
  }

  async close(): Promise<void> {
    await this.fetched?.close?.();
    if (this.staging) await rm(this.staging, { recursive: true, force: true });
  }

  /** One full device backup per source, on first use. */
  private fetch(): Promise<BackupFolderSource> {
    this.folder ??= (async () => {
      const { stagingParent, ...device } = this.options;
      this.staging = await mkdtemp(join(stagingParent ?? tmpdir(), "cradle-device-"));
      const result = await backupDevice({ ...device, dir: this.staging, full: true });
      this.udid = result.udid;
      this.fetched = new BackupFolderSource(result.folder);
      return this.fetched;
    })();
    return this.folder;
  }
}
