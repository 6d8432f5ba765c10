/**
 * What the backup pipeline moves: a device's files as (domain, relativePath) entries, the way
 * Manifest.db names them. Sources (a home tree, a Finder backup folder, a live device) produce
 * entries; the repository stores them; targets (a home tree, a Finder backup folder) receive them.
 * Every module under src/backup and the device services meet through these types.
 */
import type { Readable } from "node:stream";

export type EntryKind = "file" | "dir" | "symlink";

/** One device file, directory or link, as a snapshot records it. */
export interface TreeEntry {
  /** "HomeDomain", "CameraRollDomain", "MediaDomain", "AppDomain-<bundle id>"... */
  domain: string;
  /** POSIX path inside the domain, "" for the domain's root; never absolute, never "..". */
  relativePath: string;
  kind: EntryKind;
  /** Permission bits (0o644...). */
  mode: number;
  /** Last modification, ms since the Unix epoch. */
  mtime: number;
  /** Bytes of content (0 for directories; the target's length for links). */
  size: number;
  /** Where a symlink points, as stored; never followed by Cradle. */
  linkTarget?: string;
}

/** Who the files belong to. Live devices answer from lockdown; trees from their values plist. */
export interface SourceDevice {
  udid: string;
  name: string;
  productType?: string;
  productVersion?: string;
  buildVersion?: string;
  serialNumber?: string;
}

/** A file the source lists but cannot deliver (a backup missing a payload): reported, not fatal. */
export interface MissingEntry {
  entry: TreeEntry;
  reason: string;
}

/**
 * Where a backup reads from. `entries()` lists everything first (for progress totals and
 * exclusions); `open()` streams one file's bytes. A live device implements the same shape.
 */
export interface BackupSource {
  /** "ios:/path", "backup:/path", "device:UDID": for messages and snapshot records. */
  readonly uri: string;
  device(): Promise<SourceDevice>;
  entries(): AsyncIterable<TreeEntry>;
  open(entry: TreeEntry): Promise<Readable>;
  /** Entries listed but not deliverable, known once entries() has been consumed. */
  missing(): MissingEntry[];
  close?(): Promise<void>;
}

/** Where a restore or export writes. Writes go to temp names and become visible in commit(). */
export interface RestoreTarget {
  readonly uri: string;
  /** Called once per entry, directories before their contents; content is undefined for dirs/links. */
  put(entry: TreeEntry, content?: Readable): Promise<void>;
  /** Makes everything put so far visible at once (or as close to it as the format allows). */
  commit(device: SourceDevice): Promise<void>;
  /** Removes whatever put() left behind; the target is as it was. */
  abort(): Promise<void>;
}
