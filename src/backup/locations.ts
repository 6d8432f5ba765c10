/**
 * SOURCE and TARGET strings of the backup commands, as scheme:location. `ios:DIR` is a device
 * home tree; `backup:DIR` a Finder/idevicebackup2 backup folder (src/backup/ios-backup; an
 * encrypted one is opened with $CRADLE_BACKUP_PASSWORD, and exports are written unencrypted);
 * `device:UDID` comes with the device-link work and will implement the same BackupSource.
 */
import { resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import { BackupFolderSource, BackupFolderTarget } from "./ios-backup/index.js";
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
  if (scheme === "backup:")
    return new BackupFolderSource(resolve(location), {
      password: process.env.CRADLE_BACKUP_PASSWORD || undefined,
    });
  throw new UsageError(NOT_YET[scheme] ?? `Unknown SOURCE scheme "${scheme}": use ios:DIR or backup:DIR.`, {
    uri,
  });
}

export function openTarget(uri: string): RestoreTarget {
  const { scheme, location } = split(uri, "TARGET");
  if (scheme === "ios:") return new IosTreeTarget(resolve(location));
  if (scheme === "backup:") return new BackupFolderTarget(resolve(location));
  throw new UsageError(NOT_YET[scheme] ?? `Unknown TARGET scheme "${scheme}": use ios:DIR or backup:DIR.`, {
    uri,
  });
}
