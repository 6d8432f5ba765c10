import { statSync } from "node:fs";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { DeviceConnectionError, LockdownError, PairingError } from "../../../src/device/errors.js";
import { readLiveCloudState } from "../../../src/device/lockdown/icloud.js";
import {
  connectLockdown,
  DeviceSession,
  findDevice,
  loadPairRecord,
} from "../../../src/device/lockdown/session.js";
import { pairDevice } from "../../../src/device/pairing/pair.js";
import type { VirtualService } from "../../../src/device/service.js";
import { parseUsbmuxAddress } from "../../../src/device/usbmux/address.js";
import { UsbmuxClient } from "../../../src/device/usbmux/client.js";
import { verdictFor } from "../../../src/guard/guard.js";
import { type ServedFixture, serveFixture } from "../serve-helpers.js";

/** Sends back every byte it receives, with the device's UDID first so the context is checked too. */
const echo = (name: string, ssl: boolean): VirtualService => ({
  name,
  ssl,
  async handler(connection: Duplex, context) {
    connection.write(`${context.udid}\n`);
    for await (const chunk of connection) connection.write(chunk);
  },
});

let fixture: ServedFixture | undefined;
afterEach(async () => {
  await fixture?.served.close();
  fixture = undefined;
});

async function setup(options: Parameters<typeof serveFixture>[0] = {}) {
  fixture = await serveFixture(options);
  const usbmux = new UsbmuxClient(parseUsbmuxAddress(fixture.address));
  return { f: fixture, usbmux, records: fixture.clientRecords };
}

async function roundTrip(stream: Duplex, text: string): Promise<string> {
  stream.write(text);
  let received = "";
  for await (const chunk of stream) {
    received += chunk.toString();
    if (received.endsWith(text)) break;
  }
  return received;
}

describe("Cradle's client against the virtual iPhone", () => {
  it("lists the device, pairs, and keeps the record at mode 0600 in its store and usbmuxd's", async () => {
    const { f, usbmux, records } = await setup();
    const [device] = await usbmux.listDevices();
    expect(device).toMatchObject({
      deviceId: 1,
      udid: f.served.udid,
      connectionType: "USB",
      productId: 0x12a8,
    });
    await expect(DeviceSession.open({ usbmux, records })).rejects.toBeInstanceOf(PairingError);
    const paired = await pairDevice({ usbmux, records });
    expect(paired).toMatchObject({ udid: f.served.udid, name: f.served.name });
    expect(statSync(paired.recordPath).mode & 0o777).toBe(0o600);
    expect(await usbmux.readPairRecord(f.served.udid)).toEqual(await records.read(f.served.udid));
    expect(f.errors).toEqual([]);
  });

  it("runs a TLS session, reads values and the iCloud state, and returns to plaintext after StopSession", async () => {
    const { f, usbmux, records } = await setup({ icloud: ["calendars"] });
    await pairDevice({ usbmux, records });
    const session = await DeviceSession.open({ usbmux, records });
    expect(session.lockdown.inSession).toBe(true);
    expect(await session.lockdown.getValue(undefined, "UniqueDeviceID")).toBe(f.served.udid);
    expect(await session.lockdown.getValue("com.apple.nothing.here")).toBeUndefined();
    const cloud = await readLiveCloudState(session.lockdown);
    expect(verdictFor(cloud, "calendars", f.served.name).enabled).toBe(false);
    expect(verdictFor(cloud, "contacts", f.served.name).enabled).toBe(true);
    expect(cloud.unknown).toEqual(["photos"]);
    const refused = await session.lockdown
      .setValue(undefined, "ProductVersion", "99.0")
      .catch((e: LockdownError) => e);
    expect((refused as LockdownError).lockdownError).toBe("SetProhibited");
    await session.lockdown.setValue(undefined, "DeviceName", "Kitchen iPhone");
    expect(await session.lockdown.getValue(undefined, "DeviceName")).toBe("Kitchen iPhone");
    await session.lockdown.stopSession();
    expect(session.lockdown.inSession).toBe(false);
    expect(await session.lockdown.queryType()).toBe("com.apple.mobile.lockdown");
    expect(await session.lockdown.getValue(undefined, "ProductVersion")).toBe("18.1");
    session.lockdown.close();
    expect(f.errors).toEqual([]);
  });

  it("starts services over TLS and in plaintext, and refuses an unknown one with InvalidService", async () => {
    const { f, usbmux, records } = await setup({
      services: [echo("org.cradle.echo-tls", true), echo("org.cradle.echo", false)],
    });
    await pairDevice({ usbmux, records });
    const session = await DeviceSession.open({ usbmux, records });
    for (const name of ["org.cradle.echo-tls", "org.cradle.echo"]) {
      const stream = await session.startService(name, { escrowBag: session.record.EscrowBag });
      expect(await roundTrip(stream, "hello")).toBe(`${f.served.udid}\nhello`);
      stream.destroy();
    }
    // A service port takes one connection, as lockdownd's do; a second is refused.
    const { port } = await session.lockdown.startService("org.cradle.echo");
    const first = await usbmux.connect(session.device.deviceId, port);
    await expect(usbmux.connect(session.device.deviceId, port)).rejects.toBeInstanceOf(DeviceConnectionError);
    first.stream.destroy();
    const refused = await session.startService("com.apple.not-a-service").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LockdownError);
    expect((refused as LockdownError).lockdownError).toBe("InvalidService");
    await session.close();
  });

  it("refuses a session to a host the device does not know", async () => {
    const { usbmux, records } = await setup();
    await pairDevice({ usbmux, records });
    const device = await findDevice(usbmux, undefined);
    const stored = await records.read(device.udid);
    const forged = Buffer.from(
      String(stored).replace(
        /<key>HostID<\/key>\s*<string>[^<]+/,
        "<key>HostID</key><string>00000000-0000-0000-0000-000000000000",
      ),
    );
    await records.write(device.udid, forged);
    const error = await DeviceSession.open({ usbmux, records }).catch((e: unknown) => e);
    expect((error as LockdownError).lockdownError).toBe("InvalidHostID");
    const lockdown = await connectLockdown(usbmux, device);
    expect(await lockdown.queryType()).toBe("com.apple.mobile.lockdown");
    lockdown.close();
  });

  it("validates a pairing, and after Unpair the device refuses that host", async () => {
    const { usbmux, records } = await setup();
    await pairDevice({ usbmux, records });
    const device = await findDevice(usbmux, undefined);
    const record = await loadPairRecord(device.udid, records, usbmux);
    if (!record) throw new Error("pairDevice kept no record");
    const lockdown = await connectLockdown(usbmux, device);
    await lockdown.validatePair(record);
    await lockdown.unpair(record);
    const refused = await lockdown.validatePair(record).catch((e: LockdownError) => e.lockdownError);
    expect(refused).toBe("InvalidHostID");
    lockdown.close();
  });
});
