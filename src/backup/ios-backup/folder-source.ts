/**
 * `backup:DIR` as a backup source: reads a Finder/iTunes/idevicebackup2 backup folder into the
 * tree entries a snapshot records. Manifest.db (a private copy, decrypted when the backup is
 * encrypted) lists the entries; each row's MBFile gives mode, mtime and size. A listed file whose
 * content is gone is reported by missing(), not imported; a hostile path stops the import.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { BackupError } from "../../adapters/backup-folder/errors.js";
import { BackupManifest, type ManifestRow } from "../../adapters/backup-folder/manifest.js";
import { readPlistDict } from "../../adapters/backup-folder/plists.js";
import type { BackupSource, MissingEntry, SourceDevice, TreeEntry } from "../tree.js";
import { assertSafeEntry } from "./entry-path.js";
import { decodeMBFile, kindOfFlags, type MBFile } from "./mbfile.js";

export class BackupFolderSource implements BackupSource {
  readonly uri: string;
  private readonly dir: string;
  private manifest?: BackupManifest;
  private readonly missingEntries: MissingEntry[] = [];

  constructor(dir: string) {
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
    const lockdown = plist("Manifest.plist").Lockdown;
    const fromLockdown = (key: string) =>
      typeof lockdown === "object" && lockdown !== null && key in lockdown
        ? String((lockdown as Record<string, unknown>)[key])
        : undefined;
    const text = (infoKey: string, lockdownKey: string) => {
      const value = info[infoKey];
      return typeof value === "string" && value !== "" ? value : fromLockdown(lockdownKey);
    };
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
    const manifest = this.openManifest();
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
    const found = this.openManifest().require(entry.domain, entry.relativePath);
    return createReadStream(found.path);
  }

  missing(): MissingEntry[] {
    return [...this.missingEntries];
  }

  async close(): Promise<void> {
    this.manifest?.close();
    this.manifest = undefined;
  }

  private openManifest(): BackupManifest {
    this.manifest ??= BackupManifest.open(this.dir);
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
