/**
 * `cradle device backup DIR` and `cradle device restore DIR`: mobilebackup2 with a paired device,
 * into or from a Finder/idevicebackup2 backup folder (DIR/<UDID>).
 */
import { parseArgs } from "node:util";
import { UsageError } from "../../core/errors.js";
import { backupDevice, restoreDevice } from "../../device/mobilebackup2/device-backup.js";
import { asUsage } from "../args.js";
import type { Output } from "../output.js";

const progressOf = (out: Output) => (p: { phase: string; loaded: number; total: number }) =>
  out.progress({ ...p, detail: `${Math.round(p.loaded / 1024)} of ${Math.round(p.total / 1024)} KiB` });

function dirOf(positionals: string[], action: string): string {
  const [dir, ...extra] = positionals;
  if (!dir || extra.length > 0) throw new UsageError(`device ${action} takes one DIR, the backup folder.`);
  return dir;
}

export async function backup(args: string[], out: Output): Promise<number> {
  const { values, positionals } = asUsage(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: { udid: { type: "string" }, full: { type: "boolean" }, json: { type: "boolean" } },
    }),
  );
  const result = await backupDevice({
    udid: values.udid,
    dir: dirOf(positionals, "backup"),
    full: values.full,
    onProgress: progressOf(out),
  });
  out.done();
  out.data(
    result,
    () =>
      `Backed up ${result.udid} into ${result.folder}: ${result.filesReceived} files, ${result.bytesReceived} bytes received.`,
  );
  return 0;
}

export async function restore(args: string[], out: Output): Promise<number> {
  const { values, positionals } = asUsage(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        udid: { type: "string" },
        source: { type: "string" },
        system: { type: "boolean" },
        json: { type: "boolean" },
      },
    }),
  );
  const dir = dirOf(positionals, "restore");
  const result = await restoreDevice({
    udid: values.udid,
    dir,
    source: values.source,
    system: values.system,
    onProgress: progressOf(out),
  });
  out.done();
  out.data({ ...result, dir }, () => `Restored ${result.udid} from ${dir}.`);
  return 0;
}
