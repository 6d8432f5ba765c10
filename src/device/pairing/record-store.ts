/**
 * A folder of pair records, one `<UDID>.plist` each (mode 0600, folder 0700), plus
 * SystemConfiguration.plist holding the SystemBUID: the layout of usbmuxd's /var/lib/lockdown
 * (usbmuxd 1.1.1 src/conf.c). Cradle keeps its own under the state dir; the virtual usbmuxd
 * keeps one for the hosts that pair through it. Record bytes are never logged.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../adapters/shared/atomic-write.js";
import { PairingError } from "../errors.js";
import { buildXmlPlist, parsePlist } from "../plist/index.js";

const SECRET_MODE = 0o600;
const SYSTEM_CONFIGURATION = "SystemConfiguration.plist";

/** UDIDs and HostIDs come from peers: only hex digits and dashes may name a file. */
export const isRecordId = (id: string) => /^[0-9A-Fa-f-]{1,64}$/.test(id);

export class PairRecordStore {
  constructor(readonly dir: string) {}

  /** The record's plist bytes, or undefined when there is none. */
  async read(udid: string): Promise<Buffer | undefined> {
    return readIfExists(this.pathOf(udid));
  }

  async write(udid: string, record: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.pathOf(udid), record, SECRET_MODE);
  }

  async delete(udid: string): Promise<void> {
    await unlink(this.pathOf(udid)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
  }

  /** This host's SystemBUID, made (a random UUID) and kept on first use. */
  async systemBuid(): Promise<string> {
    const path = join(this.dir, SYSTEM_CONFIGURATION);
    const existing = await readIfExists(path);
    if (existing) {
      const config = parsePlist(existing, path) as { SystemBUID?: unknown };
      if (typeof config.SystemBUID === "string") return config.SystemBUID;
    }
    const buid = randomUUID().toUpperCase();
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, buildXmlPlist({ SystemBUID: buid }), SECRET_MODE);
    return buid;
  }

  private pathOf(udid: string): string {
    if (!isRecordId(udid))
      throw new PairingError(
        `"${udid}" is not a device UDID (hex digits and dashes), so no pair record is named after it.`,
        {
          udid,
        },
      );
    return join(this.dir, `${udid}.plist`);
  }
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
