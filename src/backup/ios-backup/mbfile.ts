/**
 * The `file` column of Manifest.db: an NSKeyedArchiver binary plist whose root is an `MBFile`
 * (data-formats.md §1.5). It carries what a TreeEntry needs (mode with the file-type bits, Unix
 * seconds, size, a link's target) and, in encrypted backups, the file's wrapped key.
 */
import {
  buildBinaryPlist,
  isPlistDict,
  type PlistDict,
  PlistUid,
  type PlistValue,
  parseBinaryPlist,
} from "../../device/plist/index.js";
import type { EntryKind, TreeEntry } from "../tree.js";

/** Manifest.db Files.flags. */
export const FILE_FLAGS: Record<EntryKind, number> = { file: 1, dir: 2, symlink: 4 };

const TYPE_BITS: Record<EntryKind, number> = { file: 0o100000, dir: 0o040000, symlink: 0o120000 };
const MOBILE_USER = 501;

export interface MBFile {
  relativePath: string;
  kind: EntryKind;
  /** Permission bits only; the file-type bits come from kind. */
  mode: number;
  /** Unix seconds, as real backups store them. */
  lastModified: number;
  birth: number;
  size: number;
  protectionClass: number;
  linkTarget?: string;
  /** 20 bytes: sha1 of the stored content. */
  digest?: Uint8Array;
  /** Encrypted backups: 4-byte little-endian protection class + the 40-byte wrapped file key. */
  encryptionKey?: Uint8Array;
}

/** The kind a Manifest.db flags value names, or undefined for one Cradle does not know. */
export function kindOfFlags(flags: number): EntryKind | undefined {
  return (Object.keys(FILE_FLAGS) as EntryKind[]).find((kind) => FILE_FLAGS[kind] === flags);
}

/** The MBFile a Manifest.db row stores for an entry. */
export function mbFileOf(
  entry: TreeEntry,
  extra: Pick<MBFile, "digest" | "encryptionKey" | "protectionClass">,
): MBFile {
  const seconds = Math.floor(entry.mtime / 1000);
  return {
    relativePath: entry.relativePath,
    kind: entry.kind,
    mode: entry.mode & 0o7777,
    lastModified: seconds,
    birth: seconds,
    size: entry.kind === "symlink" ? Buffer.byteLength(entry.linkTarget ?? "") : entry.size,
    linkTarget: entry.linkTarget,
    ...extra,
  };
}

/** Encodes an MBFile the way devices archive it: $objects [$null, MBFile, its strings/data, classes]. */
export function encodeMBFile(file: MBFile): Buffer {
  const objects: PlistValue[] = ["$null"];
  const add = (value: PlistValue): PlistUid => {
    objects.push(value);
    return new PlistUid(objects.length - 1);
  };
  const root: PlistDict = {};
  add(root);
  root.RelativePath = add(file.relativePath);
  // Sizes past 4 GiB stay integers: the codec writes them as 8-byte ints.
  root.Size = file.size;
  root.Mode = TYPE_BITS[file.kind] | file.mode;
  root.UserID = MOBILE_USER;
  root.GroupID = MOBILE_USER;
  root.InodeNumber = 0;
  root.Flags = 0;
  root.Birth = file.birth;
  root.LastModified = file.lastModified;
  root.LastStatusChange = file.lastModified;
  root.ProtectionClass = file.protectionClass;
  if (file.digest) root.Digest = file.digest;
  if (file.linkTarget !== undefined) root.Target = add(file.linkTarget);
  if (file.encryptionKey) {
    const key: PlistDict = { "NS.data": file.encryptionKey };
    root.EncryptionKey = add(key);
    key.$class = add({ $classname: "NSMutableData", $classes: ["NSMutableData", "NSData", "NSObject"] });
  }
  root.$class = add({ $classname: "MBFile", $classes: ["MBFile", "NSObject"] });
  return buildBinaryPlist({
    $version: 100000,
    $archiver: "NSKeyedArchiver",
    $top: { root: new PlistUid(1) },
    $objects: objects,
  });
}

/** Decodes a Files.file blob; throws Error (the caller names the row) on anything malformed. */
export function decodeMBFile(blob: Uint8Array, kind: EntryKind): MBFile {
  const archive = parseBinaryPlist(blob, "an MBFile archive");
  if (!isPlistDict(archive) || !Array.isArray(archive.$objects) || !isPlistDict(archive.$top))
    throw new Error("not an NSKeyedArchiver archive");
  const objects = archive.$objects;
  const deref = (value: PlistValue | undefined): PlistValue | undefined =>
    value instanceof PlistUid ? objects[value.index] : value;
  const root = deref(archive.$top.root);
  if (!isPlistDict(root)) throw new Error("the archive has no MBFile root");
  const int = (key: string, fallback?: number): number => {
    const value = root[key] ?? fallback;
    if (typeof value !== "number" || !Number.isFinite(value))
      throw new Error(`MBFile ${key} is not a number`);
    return value;
  };
  const relativePath = deref(root.RelativePath);
  if (typeof relativePath !== "string") throw new Error("MBFile RelativePath is not a string");
  const target = deref(root.Target);
  const key = deref(root.EncryptionKey);
  const keyData = isPlistDict(key) ? key["NS.data"] : undefined;
  const digest = root.Digest;
  return {
    relativePath,
    kind,
    mode: int("Mode") & 0o7777,
    lastModified: int("LastModified"),
    birth: int("Birth", 0),
    size: int("Size", 0),
    protectionClass: int("ProtectionClass", 0),
    linkTarget: typeof target === "string" ? target : undefined,
    digest: digest instanceof Uint8Array ? digest : undefined,
    encryptionKey: keyData instanceof Uint8Array ? keyData : undefined,
  };
}
