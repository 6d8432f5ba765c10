/**
 * SOURCE and TARGET strings of the backup commands, as scheme:location. `ios:DIR` is a device
 * home tree; `backup:DIR` (a Finder/idevicebackup2 backup folder) comes with src/backup/ios-backup;
 * `device:UDID` with the device-link work. A live device will implement the same BackupSource.
 */
import { resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import { IosTreeSource } from "./sources/ios-tree.js";
import { IosTreeTarget } from "./targets/ios-tree.js";
import type { BackupSource, RestoreTarget } from "./tree.js";

const NOT_YET: Record<string, string> = {
  "backup:":
    "Backup folders (backup:DIR) are not supported by this build yet; unpack the backup or use ios:DIR.",
  "device:": "Live devices (device:UDID) are not supported yet; back up a home tree with ios:DIR.",
};

function split(uri: string, what: string): { scheme: string; location: string } {
  const match = /^([a-z]+:)(.+)$/.exec(uri);
  if (!match) throw new UsageError(`${what} "${uri}" needs a scheme: ios:DIR or backup:DIR.`, { uri });
  return { scheme: match[1] as string, location: match[2] as string };
}

export function openSource(uri: string): BackupSource {
  const { scheme, location } = split(uri, "SOURCE");
  if (scheme === "ios:") return new IosTreeSource(resolve(location));
  throw new UsageError(NOT_YET[scheme] ?? `Unknown SOURCE scheme "${scheme}": use ios:DIR.`, { uri });
}

export function openTarget(uri: string): RestoreTarget {
  const { scheme, location } = split(uri, "TARGET");
  if (scheme === "ios:") return new IosTreeTarget(resolve(location));
  throw new UsageError(NOT_YET[scheme] ?? `Unknown TARGET scheme "${scheme}": use ios:DIR.`, { uri });
}
