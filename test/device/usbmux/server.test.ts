import { afterEach, describe, expect, it } from "vitest";
import { DeviceProtocolError } from "../../../src/device/errors.js";
import { UsbmuxClient, type UsbmuxEvent } from "../../../src/device/usbmux/client.js";
import { fakeDaemon, packet, plistPacket, rawClient, UDID } from "./support.js";

let daemon: Awaited<ReturnType<typeof fakeDaemon>> | undefined;
afterEach(async () => {
  await daemon?.server.close();
  daemon = undefined;
});

/** After any abuse, a fresh client still gets the device list. */
async function stillServes(socket: string) {
  const client = await rawClient(socket);
  client.send(plistPacket({ MessageType: "ListDevices" }, 99));
  const reply = await client.reply();
  expect(reply.tag).toBe(99);
  const [device] = (reply.body?.DeviceList ?? []) as { Properties: { SerialNumber: string } }[];
  expect(device?.Properties.SerialNumber).toBe(UDID);
  client.socket.destroy();
}

describe("the virtual usbmuxd answers as usbmuxd 1.1.1 does", () => {
  it("echoes tag and version; unknown MessageTypes and broken plists get Result BADCOMMAND on a live connection", async () => {
    daemon = await fakeDaemon();
    const client = await rawClient(daemon.socket);
    client.send(plistPacket({ MessageType: "Frobnicate" }, 41));
    expect(await client.reply()).toMatchObject({
      version: 1,
      message: 8,
      tag: 41,
      body: { MessageType: "Result", Number: 1 },
    });
    client.send(packet({ tag: 42 }, Buffer.from("<plist><dict><key>unclosed")));
    expect((await client.reply()).body).toEqual({ MessageType: "Result", Number: 1 });
    client.send(packet({ version: 7, tag: 43 }, Buffer.alloc(0)));
    const badVersion = await client.reply();
    expect(badVersion).toMatchObject({ version: 0, message: 1, tag: 43 });
    expect(badVersion.payload.readUInt32LE(0)).toBe(6);
    // The binary protocol (version 0) gets a binary RESULT it can read.
    client.send(packet({ version: 0, message: 3, tag: 44 }, Buffer.alloc(0)));
    const binary = await client.reply();
    expect(binary).toMatchObject({ version: 0, message: 1, tag: 44 });
    expect(binary.payload.readUInt32LE(0)).toBe(1);
    client.send(plistPacket({ MessageType: "ReadBUID" }, 45));
    expect((await client.reply()).body?.BUID).toMatch(/^[0-9A-F-]{36}$/);
    expect(daemon.errors).toEqual([]);
  });

  it("answers Connect with BADDEV for an unknown device and CONNREFUSED for a closed port, then pipes an open one", async () => {
    daemon = await fakeDaemon();
    const client = await rawClient(daemon.socket);
    client.send(plistPacket({ MessageType: "Connect", DeviceID: 99, PortNumber: 32498 }, 1));
    expect((await client.reply()).body).toEqual({ MessageType: "Result", Number: 2 });
    client.send(plistPacket({ MessageType: "Connect", DeviceID: 7, PortNumber: 62078 }, 2));
    expect((await client.reply()).body).toEqual({ MessageType: "Result", Number: 3 });
    client.send(plistPacket({ MessageType: "Connect", DeviceID: 7, PortNumber: 32498 }, 3));
    expect((await client.reply()).body).toEqual({ MessageType: "Result", Number: 0 });
    // Now a raw pipe to the device's port (which echoes): any bytes, even a usbmux header, come back.
    client.send(plistPacket({ MessageType: "ListDevices" }, 4));
    expect(await client.reply()).toMatchObject({ tag: 4, body: { MessageType: "ListDevices" } });
  });

  it("keeps pair records out of hostile names", async () => {
    daemon = await fakeDaemon();
    const client = await rawClient(daemon.socket);
    client.send(
      plistPacket(
        { MessageType: "SavePairRecord", PairRecordID: "../../escape", PairRecordData: Buffer.from("x") },
        1,
      ),
    );
    expect((await client.reply()).body).toEqual({ MessageType: "Result", Number: 1 });
    client.send(plistPacket({ MessageType: "ReadPairRecord", PairRecordID: "../../etc/passwd" }, 2));
    expect((await client.reply()).body).toEqual({ MessageType: "Result", Number: 2 });
    expect(daemon.errors).toEqual([]);
  });

  for (const [what, bytes] of [
    ["a length below the header size", packet({ length: 8 }, Buffer.alloc(0))],
    ["an oversized length", packet({ length: 0x7fffffff }, Buffer.alloc(0))],
    ["a truncated payload", packet({ length: 400 }, Buffer.from("<plist>"))],
    ["a truncated header", Buffer.from([0x20, 0, 0])],
  ] as const) {
    it(`closes a connection that sends ${what}, reports it, and keeps serving`, async () => {
      daemon = await fakeDaemon();
      const client = await rawClient(daemon.socket);
      client.send(bytes);
      client.socket.end();
      expect(await client.closedByPeer()).toBe(true);
      await stillServes(daemon.socket);
      expect(daemon.errors).toHaveLength(1);
      expect(daemon.errors[0]).toBeInstanceOf(DeviceProtocolError);
    });
  }
});

describe("Listen", () => {
  it("reports the attached device, then Paired when a record is saved for it", async () => {
    daemon = await fakeDaemon();
    const client = new UsbmuxClient({ kind: "unix", path: daemon.socket });
    const events: UsbmuxEvent[] = [];
    const listening = await client.listen((event) => events.push(event));
    await client.savePairRecord(UDID, 7, Buffer.from("<plist><dict/></plist>"));
    for (let i = 0; i < 100 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    listening.close();
    expect(events).toEqual([
      { type: "attached", device: { deviceId: 7, udid: UDID, connectionType: "USB", productId: 0x12a8 } },
      { type: "paired", deviceId: 7 },
    ]);
    expect((await client.readPairRecord(UDID))?.toString()).toBe("<plist><dict/></plist>");
    await client.deletePairRecord(UDID);
    expect(await client.readPairRecord(UDID)).toBeUndefined();
  });
});
