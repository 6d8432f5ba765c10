import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotificationProxyClient } from "../../../src/device/notification-proxy/client.js";
import { PlistChannel } from "../../../src/device/plist-service.js";
import { serveNotificationProxy } from "../../../src/device/services/notification-proxy.js";
import { type SocketPair, socketPair } from "../socket-pair.js";

let pair: SocketPair;
let device: PlistChannel;
let client: NotificationProxyClient;
beforeEach(async () => {
  pair = await socketPair();
  device = new PlistChannel(pair.deviceReader, pair.deviceSocket, "xml");
  client = new NotificationProxyClient(new PlistChannel(pair.hostReader, pair.hostSocket, "xml"));
});
afterEach(() => pair.close());

describe("notification_proxy", () => {
  it("relays an observed name, not an unobserved one, and answers Shutdown with ProxyDeath", async () => {
    const served = serveNotificationProxy(device);
    await client.observe("com.apple.itunes-client.syncCancelRequest");
    await client.post("com.apple.itunes-mobdev.syncWillStart");
    await client.post("com.apple.itunes-client.syncCancelRequest");
    expect(await client.nextRelayed()).toBe("com.apple.itunes-client.syncCancelRequest");
    await client.shutdown(2000);
    await served;
  });

  it("fails cleanly when the device closes without ProxyDeath", async () => {
    const shutdown = client.shutdown(2000);
    pair.deviceSocket.end();
    await expect(shutdown).rejects.toMatchObject({ code: "NotificationProxyError" });
  });

  it("refuses an unknown command", async () => {
    const served = serveNotificationProxy(device);
    await new PlistChannel(pair.hostReader, pair.hostSocket, "xml").sendPlist({ Command: "SelfDestruct" });
    await expect(served).rejects.toMatchObject({ code: "NotificationProxyError" });
  });
});
