/**
 * The virtual device's notification_proxy. idevicebackup2 cannot run without it (it dereferences
 * the service it failed to start) and waits 30 s when Shutdown is not answered with ProxyDeath.
 * A name posted on a connection that observes it is relayed back, as the device would.
 */
import { ByteReader } from "../byte-reader.js";
import {
  NOTIFICATION_PROXY_SERVICE,
  receiveNotificationCommand,
  sendNotificationCommand,
} from "../notification-proxy/messages.js";
import { PlistChannel } from "../plist-service.js";
import type { DeviceSyncState, VirtualService } from "../service.js";

export async function serveNotificationProxy(channel: PlistChannel, sync?: DeviceSyncState): Promise<void> {
  const observed = new Set<string>();
  for (;;) {
    const command = await receiveNotificationCommand(channel);
    if (command === undefined) return;
    if (command.Command === "PostNotification") sync?.journal.push(`post ${command.Name}`);
    if (command.Command === "ObserveNotification") observed.add(command.Name);
    else if (command.Command === "PostNotification" && observed.has(command.Name))
      await sendNotificationCommand(channel, { Command: "RelayNotification", Name: command.Name });
    else if (command.Command === "Shutdown") {
      await sendNotificationCommand(channel, { Command: "ProxyDeath" });
      return;
    }
  }
}

export const notificationProxyService: VirtualService = {
  name: NOTIFICATION_PROXY_SERVICE,
  ssl: false,
  handler: (connection, context) =>
    serveNotificationProxy(
      new PlistChannel(new ByteReader(connection, "the host"), connection, "xml"),
      context.sync,
    ),
};
