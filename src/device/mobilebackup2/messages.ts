/**
 * mobilebackup2's requests and answers on top of DeviceLink (libimobiledevice src/mobilebackup2.c;
 * device-protocols.md §4.1): the Hello that agrees on a protocol version, and the requests a host
 * sends (Backup, Restore, Info, List), each a ProcessMessage dictionary.
 */
import type { PlistDict } from "../plist/index.js";
import { PlistReal } from "../plist/index.js";

export const MOBILEBACKUP2_SERVICE = "com.apple.mobilebackup2";
/** What Debian's libimobiledevice 1.3.0 host accepts (it refuses a device major above 400). */
export const MOBILEBACKUP2_DEVICELINK_VERSION = { major: 300, minor: 0 };
export const HOST_DEVICELINK_MAJOR = 400;
/** The versions idevicebackup2 offers; the device answers with the highest it shares. */
export const PROTOCOL_VERSIONS = [2.0, 2.1];

export type RequestName = "Backup" | "Restore" | "Info" | "List";

export interface Request {
  name: RequestName;
  /** The device the backup folder belongs to (its UDID). */
  target: string;
  /** The device whose backup is read, when it is another one (restoring a backup of device A onto B). */
  source?: string;
  options?: PlistDict;
}

export function helloMessage(): PlistDict {
  return { MessageName: "Hello", SupportedProtocolVersions: PROTOCOL_VERSIONS.map((v) => new PlistReal(v)) };
}

export function writeRequest(request: Request): PlistDict {
  return {
    MessageName: request.name,
    TargetIdentifier: request.target,
    ...(request.source ? { SourceIdentifier: request.source } : {}),
    ...(request.options ? { Options: request.options } : {}),
  };
}

/** The highest version both sides speak, or undefined (the device then answers ErrorCode 1). */
export function agreeOnVersion(offered: unknown): number | undefined {
  if (!Array.isArray(offered)) return undefined;
  const common = offered.filter((v): v is number => typeof v === "number" && PROTOCOL_VERSIONS.includes(v));
  return common.length > 0 ? Math.max(...common) : undefined;
}
