import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { build, parse } from "plist";
import { afterEach, describe, expect, it } from "vitest";
import { DeviceConnectionError, DeviceProtocolError } from "../../../src/device/errors.js";
import {
  DEFAULT_USBMUXD_SOCKET,
  formatUsbmuxAddress,
  parseUsbmuxAddress,
  usbmuxAddressFromEnv,
} from "../../../src/device/usbmux/address.js";
import { swap16, UsbmuxClient, type UsbmuxEvent } from "../../../src/device/usbmux/client.js";
import { packet } from "./support.js";

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A daemon that answers every request with `answer(request)`, raw bytes included. */
async function daemon(
  answer: (request: Record<string, unknown>, tag: number) => Buffer,
  { hangUp = false } = {},
) {
  const path = join(mkdtempSync(join(tmpdir(), "cradle-usbmux-client-")), "usbmuxd.sock");
  const requests: Record<string, unknown>[] = [];
  server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length < 16 || buffer.length < buffer.readUInt32LE(0)) return;
      const request = parse(buffer.subarray(16, buffer.readUInt32LE(0)).toString()) as Record<
        string,
        unknown
      >;
      requests.push(request);
      socket.write(answer(request, buffer.readUInt32LE(12)));
      if (hangUp) socket.end();
      buffer = Buffer.alloc(0);
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server?.listen(path, resolve));
  return { client: new UsbmuxClient({ kind: "unix", path }), requests };
}

const reply = (body: Record<string, unknown>, tag: number) =>
  packet({ tag }, Buffer.from(build(body as Parameters<typeof build>[0])));

describe("usbmuxd client", () => {
  it("sends what libusbmuxd sends: byte-swapped Connect ports and the client identification keys", async () => {
    const { client, requests } = await daemon((_, tag) => reply({ MessageType: "Result", Number: 0 }, tag));
    const connection = await client.connect(3, 62078);
    connection.stream.destroy();
    expect(requests[0]).toMatchObject({
      MessageType: "Connect",
      DeviceID: 3,
      PortNumber: 32498,
      kLibUSBMuxVersion: 3,
    });
    expect(requests[0]?.ProgName).toBe("cradle");
  });

  it("writes new-style UDIDs with their dash, as libusbmuxd does", async () => {
    const { client } = await daemon((_, tag) =>
      reply(
        {
          DeviceList: [
            {
              MessageType: "Attached",
              DeviceID: 4,
              Properties: { ConnectionType: "USB", DeviceID: 4, SerialNumber: "00008030001A2B3C4D5E6F70" },
            },
          ],
        },
        tag,
      ),
    );
    expect((await client.listDevices())[0]?.udid).toBe("00008030-001A2B3C4D5E6F70");
  });

  it("fails a call whose reply carries an unexpected MessageType, or is cut short", async () => {
    const odd = await daemon((_, tag) => reply({ MessageType: "Surprise", DeviceList: [] }, tag));
    await expect(odd.client.listDevices()).rejects.toBeInstanceOf(DeviceProtocolError);
    server?.close();
    const cut = await daemon((_, tag) => reply({ BUID: "X" }, tag).subarray(0, 20), { hangUp: true });
    const error = await cut.client.readBuid().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceProtocolError);
  });

  it("Listen reports attach, detach and pairing events as they come", async () => {
    const attached = {
      MessageType: "Attached",
      DeviceID: 5,
      Properties: { ConnectionType: "USB", DeviceID: 5, SerialNumber: "ab" },
    };
    const { client } = await daemon((_, tag) =>
      Buffer.concat([
        reply({ MessageType: "Result", Number: 0 }, tag),
        reply(attached, 0),
        reply({ MessageType: "Paired", DeviceID: 5 }, 0),
        reply({ MessageType: "Detached", DeviceID: 5 }, 0),
      ]),
    );
    const events: UsbmuxEvent[] = [];
    const listening = await client.listen((event) => events.push(event));
    for (let i = 0; i < 100 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    listening.close();
    expect(events.map((e) => e.type)).toEqual(["attached", "paired", "detached"]);
  });

  it("says usbmuxd is not running when nothing listens", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "cradle-usbmux-none-")), "absent.sock");
    const error = await new UsbmuxClient({ kind: "unix", path }).listDevices().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceConnectionError);
    expect((error as Error).message).toContain("usbmuxd is not running");
  });

  it("swaps port bytes both ways", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), (port) => swap16(swap16(port)) === port));
    expect(swap16(62078)).toBe(32498);
  });
});

describe("USBMUXD_SOCKET_ADDRESS, read as libusbmuxd 2.0.2 reads it", () => {
  it.each([
    ["UNIX:/tmp/emu.sock", { kind: "unix", path: "/tmp/emu.sock" }],
    ["127.0.0.1:27015", { kind: "tcp", host: "127.0.0.1", port: 27015 }],
    ["[::1]:5000", { kind: "tcp", host: "::1", port: 5000 }],
    ["localhost:65535", { kind: "tcp", host: "localhost", port: 65535 }],
  ])("%s", (text, expected) => {
    expect(parseUsbmuxAddress(text)).toEqual(expected);
    expect(formatUsbmuxAddress(expected as never)).toBe(text);
  });

  it.each(["/tmp/emu.sock", "unix:/tmp/x", "UNIX:", "host:0", "host:65536", "host:", ":80", "host:80x"])(
    "ignores %s and falls back to /var/run/usbmuxd",
    (text) => {
      expect(parseUsbmuxAddress(text)).toBeUndefined();
      expect(usbmuxAddressFromEnv({ USBMUXD_SOCKET_ADDRESS: text })).toEqual({
        kind: "unix",
        path: DEFAULT_USBMUXD_SOCKET,
      });
    },
  );
});
