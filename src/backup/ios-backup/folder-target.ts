/**
 * `backup:DIR` as a restore target: exports entries as a Finder/idevicebackup2 backup folder.
 * Everything is built in a temp folder beside DIR (same file system) and renamed into place by
 * commit(), so DIR never holds half a backup. Content files land at `xx/fileID`, each flushed to
 * disk before the rename; Manifest.db and the three plists are written last.
 */
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { PassThrough, type Readable, type Transform } from "node:stream";
import { backupFileId } from "../../adapters/backup-folder/manifest.js";
import { syncDirectory, writeFileAtomic, writeStreamToNewFile } from "../../adapters/shared/atomic-write.js";
import type { RestoreTarget, SourceDevice, TreeEntry } from "../tree.js";
import { assertSafeEntry } from "./entry-path.js";
import { BackupEntryError } from "./errors.js";
import { ManifestWriter } from "./manifest-writer.js";
import { type MBFile, mbFileOf } from "./mbfile.js";
import { assertReplaceable, placeBackup } from "./place.js";
import { backupPlists, type EncryptionRecord } from "./plists-writer.js";

/** What an encrypted export adds; plain exports leave it out (see encrypter.ts). */
export interface ContentSealer {
  /** A fresh per-file cipher and the MBFile fields that let a reader undo it. */
  sealFile(): { cipher: Transform; fields: Pick<MBFile, "encryptionKey" | "protectionClass"> };
  /** Encrypts the finished Manifest.db and gives the Manifest.plist keys. */
  sealManifest(plain: Buffer): { bytes: Buffer; record: EncryptionRecord };
}

export interface BackupFolderTargetOptions {
  /** Encrypts the export (see createBackupEncrypter). */
  sealer?: ContentSealer;
  /** The backup's date (default: when commit runs). */
  date?: Date;
}

/** Unencrypted files in system domains carry a protection class too; 3 is what most files have. */
const PLAIN_PROTECTION_CLASS = 3;

export class BackupFolderTarget implements RestoreTarget {
  readonly uri: string;
  private readonly dir: string;
  private work?: { root: string; manifest: ManifestWriter; subfolders: Set<string> };

  constructor(
    dir: string,
    private readonly options: BackupFolderTargetOptions = {},
  ) {
    this.dir = resolve(dir);
    this.uri = `backup:${this.dir}`;
  }

  async put(entry: TreeEntry, content?: Readable): Promise<void> {
    assertSafeEntry(entry.domain, entry.relativePath, this.uri);
    const work = this.open();
    if (work.manifest.has(entry.domain, entry.relativePath))
      throw new BackupEntryError(
        `${entry.domain}/${entry.relativePath} was given twice to the export to ${this.dir}; a backup holds each path once.`,
        { domain: entry.domain, relativePath: entry.relativePath },
      );
    if (entry.kind !== "file") {
      content?.resume();
      work.manifest.add(entry.domain, mbFileOf(entry, { protectionClass: 0 }));
      return;
    }
    const stored = await this.storeContent(work, entry, content);
    work.manifest.add(entry.domain, {
      ...mbFileOf(entry, stored.fields),
      size: stored.size,
      digest: stored.digest,
    });
  }

  async commit(device: SourceDevice): Promise<void> {
    const work = this.open();
    this.work = undefined;
    try {
      work.manifest.finish();
      const manifestPath = join(work.root, "Manifest.db");
      chmodSync(manifestPath, 0o600);
      let encryption: EncryptionRecord | undefined;
      if (this.options.sealer) {
        const sealed = this.options.sealer.sealManifest(await readFile(manifestPath));
        await writeFileAtomic(manifestPath, sealed.bytes, 0o600);
        encryption = sealed.record;
      }
      const plists = backupPlists(device, this.options.date ?? new Date(), encryption);
      for (const [name, bytes] of Object.entries(plists))
        await writeFileAtomic(join(work.root, name), bytes, 0o600);
      for (const sub of work.subfolders) await syncDirectory(join(work.root, sub));
      await syncDirectory(work.root);
      await placeBackup(work.root, this.dir);
    } catch (error) {
      rmSync(work.root, { recursive: true, force: true });
      throw error;
    }
  }

  async abort(): Promise<void> {
    const work = this.work;
    this.work = undefined;
    if (!work) return;
    work.manifest.discard();
    rmSync(work.root, { recursive: true, force: true });
  }

  /** The temp folder, made on the first put after checking that DIR may be replaced. */
  private open(): NonNullable<BackupFolderTarget["work"]> {
    if (this.work) return this.work;
    assertReplaceable(this.dir);
    mkdirSync(dirname(this.dir), { recursive: true });
    const root = mkdtempSync(join(dirname(this.dir), `.${basename(this.dir)}.cradle-tmp-`));
    this.work = { root, manifest: new ManifestWriter(join(root, "Manifest.db")), subfolders: new Set() };
    return this.work;
  }

  /** Streams one file to `xx/fileID` (through the sealer's cipher), flushed, with its sha1. */
  private async storeContent(
    work: NonNullable<BackupFolderTarget["work"]>,
    entry: TreeEntry,
    content: Readable | undefined,
  ) {
    const fileID = backupFileId(entry.domain, entry.relativePath);
    const sub = fileID.slice(0, 2);
    if (!work.subfolders.has(sub)) {
      mkdirSync(join(work.root, sub), { mode: 0o700 });
      work.subfolders.add(sub);
    }
    const sealed = this.options.sealer?.sealFile();
    let size = 0;
    const digest = createHash("sha1");
    const plainCounter = new PassThrough();
    plainCounter.on("data", (chunk: Buffer) => {
      size += chunk.length;
    });
    const storedHasher = new PassThrough();
    storedHasher.on("data", (chunk: Buffer) => digest.update(chunk));
    const source = content ?? PassThrough.from([]);
    const stages = sealed ? [plainCounter, sealed.cipher, storedHasher] : [plainCounter, storedHasher];
    await writeStreamToNewFile(join(work.root, sub, fileID), [source, ...stages]);
    return {
      size,
      digest: new Uint8Array(digest.digest()),
      fields: sealed?.fields ?? { protectionClass: PLAIN_PROTECTION_CLASS },
    };
  }
}
