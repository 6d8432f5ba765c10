/**
 * A usbmuxd for virtual devices, answering as usbmuxd 1.1.1 does (src/client.c): the reply
 * echoes the request's tag and version; ListDevices, ReadBUID and ReadPairRecord answer without a
 * MessageType; everything else answers Result{Number}. Replies never carry another MessageType,
 * because libusbmuxd fails the whole call on one it does not know. A connection that sends a
 * frame it cannot parse is closed; the server goes on serving the others.
 */
import { existsSync, lstatSync, unlinkSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { ByteReader } from "../byte-reader.js";
import type { DeviceConnection } from "../connection.js";
import { DeviceConnectionError } from "../errors.js";
import { isRecordId, type PairRecordStore } from "../pairing/record-store.js";
import { formatUsbmuxAddress, type UsbmuxAddress } from "./address.js";
import { swap16 } from "./client.js";
import {
  MESSAGE,
  type PlistDict,
  parsePlistPacket,
  RESULT,
  readUsbmuxPacket,
  type UsbmuxPacket,
  VERSION_BINARY,
  VERSION_PLIST,
  writePlistPacket,
  writeUsbmuxPacket,
} from "./frame.js";

export interface ServedDevice {
  deviceId: number;
  udid: string;
  productId: number;
  /** What serves a Connect to `port`; undefined when nothing listens there (CONNREFUSED). */
  open(port: number): ((connection: DeviceConnection) => void) | undefined;
}

export interface UsbmuxServerOptions {
  address: UsbmuxAddress;
  devices: ServedDevice[];
  /** Where hosts' pair records and the SystemBUID live (SavePairRecord/ReadPairRecord/ReadBUID). */
  records: PairRecordStore;
  /** A client connection failed (a broken frame, a handler error); the server keeps running. */
  onError?: (error: Error) => void;
}

export interface UsbmuxServer {
  address: UsbmuxAddress;
  close(): Promise<void>;
}

const ENOENT = 2;

export async function startUsbmuxServer(options: UsbmuxServerOptions): Promise<UsbmuxServer> {
  const listeners = new Set<Socket>();
  const clients = new Set<Socket>();
  const server = createServer((socket) => {
    clients.add(socket);
    socket.on("close", () => {
      clients.delete(socket);
      listeners.delete(socket);
    });
    socket.on("error", () => socket.destroy());
    serveClient(socket, options, listeners).catch((error: Error) => {
      socket.destroy();
      options.onError?.(error);
    });
  });
  const address = await listen(server, options.address);
  return {
    address,
    close: () =>
      new Promise((resolve) => {
        for (const socket of clients) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function serveClient(socket: Socket, options: UsbmuxServerOptions, listeners: Set<Socket>) {
  const peer = "a usbmux client";
  const reader = new ByteReader(socket, peer);
  for (;;) {
    const packet = await readUsbmuxPacket(reader);
    if (!packet) return;
    const reply = (body: PlistDict) => socket.write(writePlistPacket(packet.tag, body));
    const result = (number: number) => sendResult(socket, packet, number);
    if (packet.version !== VERSION_PLIST || packet.message !== MESSAGE.plist) {
      // The binary protocol (version 0) is not served; any other version is one usbmuxd rejects too.
      result(packet.version === VERSION_BINARY ? RESULT.badCommand : RESULT.badVersion);
      continue;
    }
    let request: PlistDict;
    try {
      request = parsePlistPacket(packet, peer);
    } catch {
      result(RESULT.badCommand);
      continue;
    }
    const device = options.devices.find((d) => d.deviceId === request.DeviceID);
    switch (request.MessageType) {
      case "ListDevices":
        reply({ DeviceList: options.devices.map(attachedMessage) });
        break;
      case "Listen":
        result(RESULT.ok);
        for (const d of options.devices) reply(attachedMessage(d));
        listeners.add(socket);
        break;
      case "ReadBUID":
        reply({ BUID: await options.records.systemBuid() });
        break;
      case "ReadPairRecord": {
        const record = await readRecord(options.records, request.PairRecordID);
        if (record) reply({ PairRecordData: record });
        else result(ENOENT);
        break;
      }
      case "SavePairRecord":
        if (!(await saveRecord(options.records, request.PairRecordID, request.PairRecordData))) {
          result(RESULT.badCommand);
          break;
        }
        result(RESULT.ok);
        if (device)
          for (const listener of listeners)
            listener.write(writePlistPacket(0, { MessageType: "Paired", DeviceID: device.deviceId }));
        break;
      case "DeletePairRecord":
        result((await deleteRecord(options.records, request.PairRecordID)) ? RESULT.ok : RESULT.badCommand);
        break;
      case "ListListeners":
        reply({ ListenerList: [] });
        break;
      case "Connect": {
        if (!device) {
          result(RESULT.badDevice);
          break;
        }
        const port = swap16(Number(request.PortNumber));
        const serve = device.open(port);
        if (!serve) {
          result(RESULT.connectionRefused);
          break;
        }
        result(RESULT.ok);
        // From here the socket is the device's byte pipe; the next layer reads with the same reader.
        serve({ stream: socket, reader, peer: `a client on port ${port}` });
        return;
      }
      default:
        result(RESULT.badCommand);
    }
  }
}

/**
 * A plist Result to a plist client; otherwise the binary u32 RESULT of version 0, which is what
 * usbmuxd sends a client that has not spoken plist (also for an unknown version).
 */
function sendResult(socket: Socket, packet: UsbmuxPacket, number: number): void {
  if (packet.version === VERSION_PLIST) {
    socket.write(writePlistPacket(packet.tag, { MessageType: "Result", Number: number }));
    return;
  }
  const payload = Buffer.alloc(4);
  payload.writeUInt32LE(number, 0);
  socket.write(
    writeUsbmuxPacket({ version: VERSION_BINARY, message: MESSAGE.result, tag: packet.tag, payload }),
  );
}

function attachedMessage(device: ServedDevice): PlistDict {
  return {
    MessageType: "Attached",
    DeviceID: device.deviceId,
    Properties: {
      ConnectionSpeed: 480000000,
      ConnectionType: "USB",
      DeviceID: device.deviceId,
      LocationID: 0,
      ProductID: device.productId,
      SerialNumber: device.udid,
    },
  };
}

/** Record ids come from clients: one that cannot name a file reads as absent and is never written. */
async function readRecord(records: PairRecordStore, id: unknown): Promise<Buffer | undefined> {
  if (typeof id !== "string" || !isRecordId(id)) return undefined;
  return records.read(id);
}

async function saveRecord(records: PairRecordStore, id: unknown, data: unknown): Promise<boolean> {
  if (typeof id !== "string" || !isRecordId(id) || !(data instanceof Uint8Array)) return false;
  await records.write(id, data);
  return true;
}

async function deleteRecord(records: PairRecordStore, id: unknown): Promise<boolean> {
  if (typeof id !== "string" || !isRecordId(id)) return false;
  await records.delete(id);
  return true;
}

/** Listens on a Unix path (replacing a stale socket file, never a live one or a regular file) or TCP. */
async function listen(server: Server, address: UsbmuxAddress): Promise<UsbmuxAddress> {
  if (address.kind === "unix") {
    if (existsSync(address.path)) {
      if (!lstatSync(address.path).isSocket() || (await isLive(address.path)))
        throw new DeviceConnectionError(
          `${address.path} is already in use; choose another --socket or stop what serves it.`,
          { path: address.path },
        );
      unlinkSync(address.path);
    }
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(address.path, () => resolve());
    });
    return address;
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new DeviceConnectionError(`Cannot listen on ${formatUsbmuxAddress(address)} (${error.code}).`, {
          address: formatUsbmuxAddress(address),
        }),
      ),
    );
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address();
  return typeof bound === "object" && bound ? { kind: "tcp", host: address.host, port: bound.port } : address;
}

function isLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection({ path });
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}
