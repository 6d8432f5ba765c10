import { mkdtempSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, parse } from "plist";
import { PairRecordStore } from "../../../src/device/pairing/record-store.js";
import { startUsbmuxServer, type UsbmuxServer } from "../../../src/device/usbmux/server.js";

export const UDID = "0123456789abcdef0123456789abcdef01234567";

/** A virtual usbmuxd with one device whose only open port is 62078, which echoes. */
export async function fakeDaemon(): Promise<{
  server: UsbmuxServer;
  socket: string;
  errors: Error[];
  dir: string;
}> {
  const dir = mkdtempSync(join(tmpdir(), "cradle-usbmux-"));
  const socket = join(dir, "usbmuxd.sock");
  const errors: Error[] = [];
  const server = await startUsbmuxServer({
    address: { kind: "unix", path: socket },
    records: new PairRecordStore(join(dir, "records")),
    onError: (error) => errors.push(error),
    devices: [
      {
        deviceId: 7,
        udid: UDID,
        productId: 0x12a8,
        open: (port) => (port === 62078 ? (c) => c.stream.pipe(c.stream) : undefined),
      },
    ],
  });
  return { server, socket, errors, dir };
}

export function packet(
  fields: { length?: number; version?: number; message?: number; tag?: number },
  payload: Buffer,
) {
  const header = Buffer.alloc(16);
  header.writeUInt32LE(fields.length ?? 16 + payload.length, 0);
  header.writeUInt32LE(fields.version ?? 1, 4);
  header.writeUInt32LE(fields.message ?? 8, 8);
  header.writeUInt32LE(fields.tag ?? 1, 12);
  return Buffer.concat([header, payload]);
}

export const plistPacket = (body: Record<string, unknown>, tag = 1) =>
  packet({ tag }, Buffer.from(build(body as Parameters<typeof build>[0])));

/** A raw client: send bytes, read whole reply packets, see when the daemon hangs up. */
export async function rawClient(path: string) {
  const socket: Socket = createConnection({ path });
  await new Promise((resolve) => socket.once("connect", resolve));
  let buffer = Buffer.alloc(0);
  let closed = false;
  socket.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
  });
  socket.on("close", () => {
    closed = true;
  });
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  };
  return {
    socket,
    send: (bytes: Buffer) => socket.write(bytes),
    /** The next reply: header fields and, for plists, the parsed body. */
    async reply() {
      await until(() => buffer.length >= 16 && buffer.length >= buffer.readUInt32LE(0));
      if (buffer.length < 16) throw new Error("no reply");
      const length = buffer.readUInt32LE(0);
      const result = {
        version: buffer.readUInt32LE(4),
        message: buffer.readUInt32LE(8),
        tag: buffer.readUInt32LE(12),
        payload: buffer.subarray(16, length),
      };
      buffer = buffer.subarray(length);
      return {
        ...result,
        body:
          result.message === 8 ? (parse(result.payload.toString()) as Record<string, unknown>) : undefined,
      };
    },
    async closedByPeer() {
      await until(() => closed);
      return closed;
    },
  };
}
