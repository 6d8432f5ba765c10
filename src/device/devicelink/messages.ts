/**
 * DeviceLink's own messages (libimobiledevice src/device_link_service.c; device-protocols.md §3.1,
 * §4.2): the version exchange the device opens with, ProcessMessage, Disconnect, and the status
 * response a host sends after each file operation.
 */
import { isPlistDict, type PlistDict, type PlistValue } from "../plist/index.js";
import type { DeviceLinkChannel } from "./channel.js";
import { DeviceLinkError } from "./errors.js";

/** DeviceLink's placeholder for an absent argument. */
export const EMPTY_PARAMETER = "___EmptyParameterString___";

/** Status codes a host answers file operations with (libimobiledevice's errno_to_device_error). */
export const DL_STATUS = { ok: 0, failed: -1, notFound: -6, exists: -7, multiStatus: -13 } as const;

export interface DeviceLinkVersion {
  major: number;
  minor: number;
}

/** Device role: announce our version, wait for the host's "DLVersionsOk", say we are ready. */
export async function offerDeviceLinkVersion(
  channel: DeviceLinkChannel,
  version: DeviceLinkVersion,
): Promise<void> {
  await channel.send(["DLMessageVersionExchange", version.major, version.minor]);
  const [verdict] = await channel.expect("DLMessageVersionExchange");
  if (verdict !== "DLVersionsOk")
    throw new DeviceLinkError(
      `${channel.peer} refused DeviceLink version ${version.major}.${version.minor}.`,
      {
        peer: channel.peer,
        verdict: String(verdict),
      },
    );
  await channel.send(["DLMessageDeviceReady"]);
}

/**
 * Host role: accept the device's version when its major is at most ours (a higher one is refused,
 * as libimobiledevice does), then wait for DLMessageDeviceReady. Returns the device's version.
 */
export async function acceptDeviceLinkVersion(
  channel: DeviceLinkChannel,
  hostMajor: number,
): Promise<DeviceLinkVersion> {
  const [major, minor] = await channel.expect("DLMessageVersionExchange");
  if (typeof major !== "number" || typeof minor !== "number")
    throw new DeviceLinkError(`${channel.peer} sent a version exchange without a version.`, {
      peer: channel.peer,
    });
  if (major > hostMajor)
    throw new DeviceLinkError(
      `${channel.peer} speaks DeviceLink version ${major}.${minor}; Cradle speaks up to ${hostMajor}.`,
      { peer: channel.peer, major, minor, hostMajor },
    );
  await channel.send(["DLMessageVersionExchange", "DLVersionsOk", hostMajor]);
  await channel.expect("DLMessageDeviceReady");
  return { major, minor };
}

export function sendProcessMessage(channel: DeviceLinkChannel, message: PlistDict): Promise<void> {
  return channel.send(["DLMessageProcessMessage", message]);
}

/** The next message, which must be a ProcessMessage; returns its dictionary. */
export async function receiveProcessMessage(
  channel: DeviceLinkChannel,
  timeoutMs?: number,
): Promise<PlistDict> {
  const [body] = await channel.expect("DLMessageProcessMessage", timeoutMs);
  return processMessageBody(channel, body);
}

export function processMessageBody(channel: DeviceLinkChannel, body: PlistValue | undefined): PlistDict {
  if (!isPlistDict(body))
    throw new DeviceLinkError(`${channel.peer} sent a ProcessMessage without a dictionary.`, {
      peer: channel.peer,
    });
  return body;
}

export function sendDisconnect(channel: DeviceLinkChannel, reason?: string): Promise<void> {
  return channel.send(["DLMessageDisconnect", reason ?? EMPTY_PARAMETER]);
}

export interface StatusResponse {
  code: number;
  text?: string;
  /** What the operation returns (free bytes, a directory listing, per-file errors...). */
  value?: PlistValue;
}

export function sendStatusResponse(channel: DeviceLinkChannel, status: StatusResponse): Promise<void> {
  return channel.send([
    "DLMessageStatusResponse",
    status.code,
    status.text ?? EMPTY_PARAMETER,
    status.value ?? EMPTY_PARAMETER,
  ]);
}

/**
 * Reads a status response. libimobiledevice writes the code as an unsigned plist integer, so -13
 * arrives as 2^64 - 13; it is read back as -13.
 */
export async function receiveStatusResponse(channel: DeviceLinkChannel): Promise<StatusResponse> {
  const [code, text, value] = await channel.expect("DLMessageStatusResponse");
  const signed = typeof code === "bigint" ? Number(BigInt.asIntN(64, code)) : code;
  if (typeof signed !== "number")
    throw new DeviceLinkError(`${channel.peer} sent a status response without a code.`, {
      peer: channel.peer,
    });
  return {
    code: signed,
    ...(typeof text === "string" && text !== EMPTY_PARAMETER ? { text } : {}),
    ...(value !== undefined && value !== EMPTY_PARAMETER ? { value } : {}),
  };
}
