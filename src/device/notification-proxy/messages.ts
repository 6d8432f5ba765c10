/**
 * com.apple.mobile.notification_proxy (libimobiledevice src/notification_proxy.c): XML plist
 * dictionaries keyed by Command. The host observes and posts names; the device relays what it
 * observes; the host's Shutdown is answered with ProxyDeath before the device closes.
 */

import { isPlistDict } from "../plist/index.js";
import type { PlistChannel } from "../plist-service.js";
import { NotificationProxyError } from "./errors.js";

export const NOTIFICATION_PROXY_SERVICE = "com.apple.mobile.notification_proxy";

export type NotificationCommand =
  | { Command: "ObserveNotification"; Name: string }
  | { Command: "PostNotification"; Name: string }
  | { Command: "RelayNotification"; Name: string }
  | { Command: "Shutdown" }
  | { Command: "ProxyDeath" };

export function sendNotificationCommand(channel: PlistChannel, command: NotificationCommand): Promise<void> {
  return channel.sendPlist({ ...command });
}

/** The next command; undefined when the peer closed. A dict without a known command is an error. */
export async function receiveNotificationCommand(
  channel: PlistChannel,
  timeoutMs?: number,
): Promise<NotificationCommand | undefined> {
  const value = await channel.receivePlist("a notification_proxy message", timeoutMs);
  if (value === undefined) return undefined;
  const command = isPlistDict(value) ? value.Command : undefined;
  const name = isPlistDict(value) ? value.Name : undefined;
  if (command === "Shutdown" || command === "ProxyDeath") return { Command: command };
  if (
    (command === "ObserveNotification" ||
      command === "PostNotification" ||
      command === "RelayNotification") &&
    typeof name === "string"
  )
    return { Command: command, Name: name };
  throw new NotificationProxyError(
    `${channel.peer} sent a notification_proxy message Cradle does not know.`,
    {
      peer: channel.peer,
      command: typeof command === "string" ? command : undefined,
    },
  );
}
