/**
 * `ios:DIR` as a backup source: a device home tree laid out like /var/mobile (what the virtual
 * iPhone writes). Files map to domains through domains.ts; Apple's exclusions apply; symlinks are
 * recorded, never followed; sockets and devices are skipped.
 */
import { createHash } from "node:crypto";
import { createReadStream, readFileSync, type Stats } from "node:fs";
import { lstat, readdir, readlink, realpath } from "node:fs/promises";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { readLockdownValues } from "../../device/virtual/identity.js";
import { devicePath } from "../../device/virtual/layout.js";
import { domainOfHomePath } from "../domains.js";
import { isExcluded } from "../exclusions.js";
import type { BackupSource, EntryKind, SourceDevice, TreeEntry } from "../tree.js";

/** Large reads: fewer trips through the event loop on big photos and databases. */
const READ_SIZE = 1024 * 1024;
const SMALL_FILE = 256 * 1024;

export class IosTreeSource implements BackupSource {
  readonly uri: string;
  constructor(private readonly dir: string) {
    this.uri = `ios:${dir}`;
  }

  /** The lockdown values the virtual iPhone keeps; a tree without them is named after its folder. */
  async device(): Promise<SourceDevice> {
    const values = readLockdownValues(devicePath(this.dir, "lockdownValues"));
    if (values?.UniqueDeviceID)
      return {
        udid: values.UniqueDeviceID,
        name: values.DeviceName ?? basename(this.dir),
        productType: values.ProductType,
        productVersion: values.ProductVersion,
        buildVersion: values.BuildVersion,
        serialNumber: values.SerialNumber,
      };
    const real = await realpath(this.dir);
    return {
      udid: `tree-${createHash("sha256").update(real).digest("hex").slice(0, 24)}`,
      name: basename(real),
    };
  }

  async *entries(): AsyncIterable<TreeEntry> {
    yield* this.walk("");
  }

  private async *walk(relDir: string): AsyncGenerator<TreeEntry> {
    const rels = (await readdir(join(this.dir, relDir)))
      .sort()
      .map((name) => (relDir === "" ? name : `${relDir}/${name}`))
      .filter((rel) => !isExcluded(rel));
    // One directory's entries are looked up at once: thousands of lstat calls one by one are slow.
    const infos = await Promise.all(rels.map((rel) => lstat(join(this.dir, rel))));
    for (const [i, rel] of rels.entries()) {
      const full = join(this.dir, rel);
      const info = infos[i] as Stats;
      const kind: EntryKind | undefined = info.isFile()
        ? "file"
        : info.isDirectory()
          ? "dir"
          : info.isSymbolicLink()
            ? "symlink"
            : undefined;
      if (!kind) continue;
      const entry: TreeEntry = {
        domain: domainOfHomePath(rel),
        relativePath: rel,
        kind,
        mode: info.mode & 0o7777,
        mtime: info.mtimeMs,
        size: kind === "dir" ? 0 : info.size,
      };
      if (kind === "symlink") entry.linkTarget = await readlink(full);
      yield entry;
      if (kind === "dir") yield* this.walk(rel);
    }
  }

  async open(entry: TreeEntry): Promise<Readable> {
    const path = join(this.dir, entry.relativePath);
    // Small files (most of a phone by count) in one synchronous read: an async open, read and
    // close each cost more in dispatch than reading a few KiB from the page cache.
    if (entry.size <= SMALL_FILE) return Readable.from([readFileSync(path)]);
    return createReadStream(path, { highWaterMark: READ_SIZE });
  }

  missing() {
    return [];
  }
}
