/**
 * Cradle's side of notification_proxy: observe and post notification names, hear what the device
 * relays, and shut down the way the device expects (Shutdown, then wait for ProxyDeath).
 */
import type { PlistChannel } from "../plist-service.js";
import { NotificationProxyError } from "./errors.js";
import { receiveNotificationCommand, sendNotificationCommand } from "./messages.js";

/** libimobiledevice waits this long for ProxyDeath. */
const PROXY_DEATH_TIMEOUT_MS = 30_000;

export class NotificationProxyClient {
  constructor(private readonly channel: PlistChannel) {}

  observe(name: string): Promise<void> {
    return sendNotificationCommand(this.channel, { Command: "ObserveNotification", Name: name });
  }

  post(name: string): Promise<void> {
    return sendNotificationCommand(this.channel, { Command: "PostNotification", Name: name });
  }

  /** The next notification the device relays; undefined when it closed the connection. */
  async nextRelayed(timeoutMs?: number): Promise<string | undefined> {
    const command = await receiveNotificationCommand(this.channel, timeoutMs);
    if (command === undefined || command.Command === "ProxyDeath") return undefined;
    if (command.Command !== "RelayNotification")
      throw new NotificationProxyError(
        `${this.channel.peer} sent ${command.Command} where a relay was due.`,
        {
          peer: this.channel.peer,
        },
      );
    return command.Name;
  }

  /** Asks the device to close the proxy; relays still in flight are skipped. */
  async shutdown(timeoutMs = PROXY_DEATH_TIMEOUT_MS): Promise<void> {
    await sendNotificationCommand(this.channel, { Command: "Shutdown" });
    for (;;) {
      const command = await receiveNotificationCommand(this.channel, timeoutMs);
      if (command === undefined)
        throw new NotificationProxyError(
          `${this.channel.peer} closed notification_proxy without ProxyDeath.`,
          {
            peer: this.channel.peer,
          },
        );
      if (command.Command === "ProxyDeath") return;
    }
  }
}
