/**
 * `backup:DIR` as a backup source: reads a Finder/iTunes/idevicebackup2 backup folder into the
 * tree entries a snapshot records. Manifest.db (a private copy, decrypted when the backup is
 * encrypted) lists the entries; each row's MBFile gives mode, mtime and size. A listed file whose
 * content is gone is reported by missing(), not imported; a hostile path stops the import.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pipeline, type Readable } from "node:stream";
import { BackupError } from "../../adapters/backup-folder/errors.js";
import { BackupManifest, type ManifestRow } from "../../adapters/backup-folder/manifest.js";
import {
  isEncrypted,
  isPlistDict,
  readManifestPlist,
  readPlistDict,
} from "../../adapters/backup-folder/plists.js";
import type { BackupSource, MissingEntry, SourceDevice, TreeEntry } from "../tree.js";
import { decryptingStream } from "./content-cipher.js";
import { assertSafeEntry } from "./entry-path.js";
import { decodeMBFile, kindOfFlags, type MBFile } from "./mbfile.js";
import { type BackupKeys, unlockBackup } from "./unlock.js";

export interface BackupFolderSourceOptions {
  /** The backup password; needed only when the backup is encrypted. Never logged. */
  password?: string;
}

export class BackupFolderSource implements BackupSource {
  readonly uri: string;
  private readonly dir: string;
  private manifest?: BackupManifest;
  private keys?: BackupKeys;
  private readonly missingEntries: MissingEntry[] = [];

  constructor(
    dir: string,
    private readonly options: BackupFolderSourceOptions = {},
  ) {
    this.dir = resolve(dir);
    this.uri = `backup:${this.dir}`;
  }

  /** Info.plist as the host wrote it; Manifest.plist's Lockdown dict when Info.plist is gone. */
  async device(): Promise<SourceDevice> {
    const plist = (name: string) => {
      const path = join(this.dir, name);
      return existsSync(path) ? readPlistDict(path) : {};
    };
    const info = plist("Info.plist");
    const manifestLockdown = plist("Manifest.plist").Lockdown;
    const lockdown = isPlistDict(manifestLockdown) ? manifestLockdown : {};
    const text = (infoKey: string, lockdownKey: string) =>
      [info[infoKey], lockdown[lockdownKey]].find(
        (value): value is string => typeof value === "string" && value !== "",
      );
    const udid = text("Target Identifier", "UniqueDeviceID");
    if (!udid)
      throw new BackupError(
        `The backup in ${this.dir} names no device (no UDID in Info.plist or Manifest.plist).`,
        {
          dir: this.dir,
        },
      );
    return {
      udid,
      name: text("Device Name", "DeviceName") ?? "",
      productType: text("Product Type", "ProductType"),
      productVersion: text("Product Version", "ProductVersion"),
      buildVersion: text("Build Version", "BuildVersion"),
      serialNumber: text("Serial Number", "SerialNumber"),
    };
  }

  async *entries(): AsyncGenerator<TreeEntry> {
    const manifest = await this.openManifest();
    this.missingEntries.length = 0;
    for (const row of manifest.rows()) {
      const file = this.decode(row);
      const entry: TreeEntry = {
        domain: row.domain,
        relativePath: row.relativePath,
        kind: file.kind,
        mode: file.mode,
        mtime: file.lastModified * 1000,
        size: file.size,
      };
      if (file.linkTarget !== undefined) entry.linkTarget = file.linkTarget;
      if (entry.kind === "file" && !this.hasContent(manifest, row)) {
        this.missingEntries.push({
          entry,
          reason: `the backup lists it but its content file ${row.fileID.slice(0, 2)}/${row.fileID} is missing`,
        });
        continue;
      }
      yield entry;
    }
  }

  async open(entry: TreeEntry): Promise<Readable> {
    const found = (await this.openManifest()).require(entry.domain, entry.relativePath);
    const content = createReadStream(found.path);
    if (!this.keys) return content;
    const file = this.decode(found);
    const where = `${this.uri} ${entry.domain}/${entry.relativePath}`;
    if (!file.encryptionKey)
      throw new BackupError(`${where} has no EncryptionKey in its record, though the backup is encrypted.`, {
        dir: this.dir,
      });
    const key = this.keys.fileKey(file.encryptionKey, file.protectionClass, where);
    // pipeline() destroys the decrypting end with the read's error, so the reader sees it.
    return pipeline(content, decryptingStream(key, file.size, where), () => undefined);
  }

  missing(): MissingEntry[] {
    return [...this.missingEntries];
  }

  async close(): Promise<void> {
    this.manifest?.close();
    this.manifest = undefined;
  }

  /** Opens Manifest.db once; an encrypted backup is unlocked with the password first. */
  private async openManifest(): Promise<BackupManifest> {
    if (this.manifest) return this.manifest;
    const plist = readManifestPlist(this.dir, { encryptedOk: this.options.password !== undefined });
    if (isEncrypted(plist)) {
      this.keys = await unlockBackup(plist, this.options.password as string, this.dir);
      this.manifest = BackupManifest.open(this.dir, this.keys.decryptManifest);
    } else this.manifest = BackupManifest.open(this.dir);
    return this.manifest;
  }

  /** The row's MBFile, its path checked; anything malformed names the row. */
  private decode(row: ManifestRow): MBFile {
    const where = `${this.uri} Manifest.db`;
    assertSafeEntry(row.domain, row.relativePath, where);
    const kind = kindOfFlags(row.flags);
    const fail = (why: string) =>
      new BackupError(`${where}: the row for ${row.domain}/${row.relativePath} ${why}.`, {
        dir: this.dir,
        domain: row.domain,
        relativePath: row.relativePath,
      });
    if (!kind) throw fail(`has flags ${row.flags}, which is not a file (1), folder (2) or link (4)`);
    if (!(row.file instanceof Uint8Array)) throw fail("has no MBFile record");
    let file: MBFile;
    try {
      file = decodeMBFile(row.file, kind);
    } catch (error) {
      throw fail(`has an unreadable MBFile record (${(error as Error).message})`);
    }
    if (file.relativePath !== row.relativePath)
      throw fail(`carries an MBFile for another path (${JSON.stringify(file.relativePath)})`);
    return file;
  }

  private hasContent(manifest: BackupManifest, row: ManifestRow): boolean {
    const path = manifest.contentPath(row);
    return existsSync(path) && statSync(path).isFile();
  }
}
