/**
 * SOURCE and TARGET strings of the backup commands, as scheme:location. `ios:DIR` is a device
 * home tree; `backup:DIR` a Finder/idevicebackup2 backup folder (src/backup/ios-backup; an
 * encrypted one is opened with $CRADLE_BACKUP_PASSWORD, and exports are written unencrypted);
 * `device:UDID` a paired device on USB (source only: restores to a device go through
 * `cradle device restore`).
 */
import { resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import { BackupFolderSource, BackupFolderTarget } from "./ios-backup/index.js";
import { IosTreeSource } from "./sources/ios-tree.js";
import { LiveDeviceSource } from "./sources/live-device.js";
import { IosTreeTarget } from "./targets/ios-tree.js";
import type { BackupSource, RestoreTarget } from "./tree.js";

const NOT_A_TARGET: Record<string, string> = {
  "device:":
    'A device is restored with "cradle restore SNAP backup:DIR" followed by "cradle device restore DIR".',
};

function split(uri: string, what: string): { scheme: string; location: string } {
  const match = /^([a-z]+:)(.+)$/.exec(uri);
  if (!match)
    throw new UsageError(`${what} "${uri}" needs a scheme: ios:DIR, backup:DIR or (a source) device:UDID.`, {
      uri,
    });
  return { scheme: match[1] as string, location: match[2] as string };
}

export function openSource(uri: string): BackupSource {
  const { scheme, location } = split(uri, "SOURCE");
  if (scheme === "ios:") return new IosTreeSource(resolve(location));
  if (scheme === "backup:")
    return new BackupFolderSource(resolve(location), {
      password: process.env.CRADLE_BACKUP_PASSWORD || undefined,
    });
  if (scheme === "device:") return new LiveDeviceSource({ udid: location });
  throw new UsageError(`Unknown SOURCE scheme "${scheme}": use ios:DIR, backup:DIR or device:UDID.`, {
    uri,
  });
}

export function openTarget(uri: string): RestoreTarget {
  const { scheme, location } = split(uri, "TARGET");
  if (scheme === "ios:") return new IosTreeTarget(resolve(location));
  if (scheme === "backup:") return new BackupFolderTarget(resolve(location));
  throw new UsageError(
    NOT_A_TARGET[scheme] ?? `Unknown TARGET scheme "${scheme}": use ios:DIR or backup:DIR.`,
    {
      uri,
    },
  );
}
