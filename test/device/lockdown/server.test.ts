import { afterEach, describe, expect, it } from "vitest";
import type { DeviceConnection } from "../../../src/device/connection.js";
import { DeviceProtocolError, type LockdownError } from "../../../src/device/errors.js";
import { LockdownClient } from "../../../src/device/lockdown/client.js";
import { connectLockdown, findDevice } from "../../../src/device/lockdown/session.js";
import { readPlistDict, writePlistMessage } from "../../../src/device/plist-service.js";
import { parseUsbmuxAddress } from "../../../src/device/usbmux/address.js";
import { UsbmuxClient } from "../../../src/device/usbmux/client.js";
import { type ServedFixture, serveFixture } from "../serve-helpers.js";

let fixture: ServedFixture | undefined;
afterEach(async () => {
  await fixture?.served.close();
  fixture = undefined;
});

async function lockdownPort(): Promise<{ usbmux: UsbmuxClient; connection: DeviceConnection }> {
  fixture = fixture ?? (await serveFixture());
  const usbmux = new UsbmuxClient(parseUsbmuxAddress(fixture.address));
  return { usbmux, connection: await usbmux.connect(1, 62078) };
}

const closed = (connection: DeviceConnection) =>
  new Promise<void>((resolve) => {
    if (connection.stream.destroyed) resolve();
    connection.stream.once("close", () => resolve());
  });

describe("the virtual lockdownd", () => {
  it("answers refusals the way lockdownd names them", async () => {
    const { usbmux } = await lockdownPort();
    const lockdown = await connectLockdown(usbmux, await findDevice(usbmux, undefined));
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => "no error",
        (e: LockdownError) => e.lockdownError,
      );
    expect(await refusal(lockdown.startService("com.apple.afc"))).toBe("SessionInactive");
    expect(await refusal(lockdown.setValue(undefined, "DeviceName", "x"))).toBe("SessionInactive");
    expect(await refusal(lockdown.stopSession().then(() => lockdown.startService("x")))).toBe(
      "SessionInactive",
    );
    expect(await lockdown.getValue(undefined, "NoSuchKey")).toBeUndefined();
    expect(await lockdown.getValue("com.apple.mobile.backup", "WillEncrypt")).toBe(false);
    lockdown.close();
  });

  it("answers a request it does not know with InvalidRequest, and one without a name too", async () => {
    const { connection } = await lockdownPort();
    await writePlistMessage(connection.stream, { Request: "Frobnicate" });
    expect(await readPlistDict(connection.reader)).toEqual({
      Request: "Frobnicate",
      Error: "InvalidRequest",
    });
    await writePlistMessage(connection.stream, { Label: "no request" });
    expect(await readPlistDict(connection.reader)).toEqual({ Error: "InvalidRequest" });
    connection.stream.destroy();
  });

  it("refuses a Pair whose device certificate does not certify its key", async () => {
    const { connection } = await lockdownPort();
    const lockdown = new LockdownClient(connection);
    const pem = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const record = {
      DeviceCertificate: pem,
      HostCertificate: pem,
      HostPrivateKey: pem,
      RootCertificate: pem,
      RootPrivateKey: pem,
      HostID: "11111111-2222-3333-4444-555555555555",
      SystemBUID: "B",
    };
    const error = await lockdown.pair(record).catch((e: LockdownError) => e);
    expect((error as LockdownError).lockdownError).toBe("InvalidPairRecord");
    lockdown.close();
  });

  const frames: [string, Buffer][] = [
    ["a zero length prefix", Buffer.from([0, 0, 0, 0])],
    ["an oversized length prefix", Buffer.from([0x7f, 0xff, 0xff, 0xff])],
    [
      "a length prefix longer than what follows",
      Buffer.concat([Buffer.from([0, 0, 1, 0]), Buffer.from("<plist>")]),
    ],
    ["a body that is no plist", Buffer.concat([Buffer.from([0, 0, 0, 5]), Buffer.from("hello")])],
  ];
  for (const [what, bytes] of frames) {
    it(`closes a connection that sends ${what}, reports it, and keeps serving`, async () => {
      const { usbmux, connection } = await lockdownPort();
      connection.stream.write(bytes);
      connection.stream.end();
      await closed(connection);
      const lockdown = await connectLockdown(usbmux, await findDevice(usbmux, undefined));
      expect(await lockdown.getValue(undefined, "ProductVersion")).toBe("18.1");
      lockdown.close();
      expect(fixture?.errors).toHaveLength(1);
      expect(fixture?.errors[0]).toBeInstanceOf(DeviceProtocolError);
    });
  }
});
