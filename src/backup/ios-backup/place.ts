/**
 * Moves a finished backup folder into place with renames only: the target is either the old
 * backup or the new one, never a mix (idevicebackup2 replaces file by file and can leave one).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { syncDirectory } from "../../adapters/shared/atomic-write.js";
import { BackupTargetError } from "./errors.js";

const BACKUP_MARKERS = ["Manifest.plist", "Manifest.db"];

/** Throws unless `target` is absent, an empty folder, or an iOS backup folder that may be replaced. */
export function assertReplaceable(target: string): void {
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory())
    throw new BackupTargetError(`${target} exists and is not a folder; give backup: a new or empty folder.`, {
      target,
    });
  const names = readdirSync(target);
  if (names.length === 0 || BACKUP_MARKERS.some((name) => names.includes(name))) return;
  throw new BackupTargetError(
    `${target} holds files but is not an iOS backup folder (no Manifest.plist); refusing to replace it. Give backup: a new or empty folder.`,
    { target },
  );
}

/** Renames `built` to `target`; an old backup there is moved aside first and removed after. */
export async function placeBackup(built: string, target: string): Promise<void> {
  assertReplaceable(target);
  const parent = dirname(target);
  let old: string | undefined;
  if (existsSync(target)) {
    old = join(parent, `.${basename(target)}.cradle-old-${process.pid}-${Date.now()}`);
    await rename(target, old);
  }
  await rename(built, target);
  await syncDirectory(parent);
  if (old) await rm(old, { recursive: true, force: true });
}
