/**
 * A usbmuxd client, as libusbmuxd 2.0.2 speaks to the daemon: one connection per request, XML
 * plist messages (version 1), increasing tags; Connect and Listen keep their connection.
 */
import { createConnection, type Socket } from "node:net";
import { ByteReader } from "../byte-reader.js";
import type { DeviceConnection } from "../connection.js";
import { DeviceConnectionError, DeviceProtocolError } from "../errors.js";
import { formatUsbmuxAddress, netOptions, type UsbmuxAddress, usbmuxAddressFromEnv } from "./address.js";
import { type PlistDict, parsePlistPacket, RESULT, readUsbmuxPacket, writePlistPacket } from "./frame.js";

/** libusbmuxd waits 5 s for a reply. */
const REPLY_TIMEOUT_MS = 5000;
const CLIENT_VERSION = "cradle";
/** MessageTypes a daemon's reply may carry; any other fails the call, as in libusbmuxd. */
const KNOWN_REPLIES = new Set(["Result", "Attached", "Detached", "Paired"]);

export interface UsbmuxDevice {
  deviceId: number;
  udid: string;
  connectionType: string;
  productId: number | undefined;
}

export type UsbmuxEvent =
  | { type: "attached"; device: UsbmuxDevice }
  | { type: "detached"; deviceId: number }
  | { type: "paired"; deviceId: number };

let nextTag = 1;

export class UsbmuxClient {
  readonly peer: string;

  constructor(
    readonly address: UsbmuxAddress = usbmuxAddressFromEnv(),
    private readonly progName = "cradle",
  ) {
    this.peer = `usbmuxd at ${formatUsbmuxAddress(address)}`;
  }

  async listDevices(): Promise<UsbmuxDevice[]> {
    const reply = await this.request({ MessageType: "ListDevices" });
    if (!Array.isArray(reply.DeviceList))
      throw new DeviceProtocolError(`${this.peer} answered ListDevices without a DeviceList.`, {
        peer: this.peer,
      });
    return reply.DeviceList.map((entry) => this.deviceFrom(entry));
  }

  async readBuid(): Promise<string> {
    const reply = await this.request({ MessageType: "ReadBUID" });
    if (typeof reply.BUID !== "string")
      throw new DeviceProtocolError(`${this.peer} answered ReadBUID without a BUID.`, { peer: this.peer });
    return reply.BUID;
  }

  /** The record's plist bytes, or undefined when the daemon has none for this UDID. */
  async readPairRecord(udid: string): Promise<Buffer | undefined> {
    const reply = await this.request({ MessageType: "ReadPairRecord", PairRecordID: udid });
    if (reply.PairRecordData instanceof Uint8Array) return Buffer.from(reply.PairRecordData);
    if (reply.MessageType === "Result") return undefined;
    throw new DeviceProtocolError(
      `${this.peer} answered ReadPairRecord with neither a record nor a result.`,
      {
        peer: this.peer,
      },
    );
  }

  async savePairRecord(udid: string, deviceId: number, record: Uint8Array): Promise<void> {
    const reply = await this.request({
      MessageType: "SavePairRecord",
      PairRecordID: udid,
      PairRecordData: Buffer.from(record),
      DeviceID: deviceId,
    });
    this.expectOk(reply, "SavePairRecord");
  }

  async deletePairRecord(udid: string): Promise<void> {
    this.expectOk(
      await this.request({ MessageType: "DeletePairRecord", PairRecordID: udid }),
      "DeletePairRecord",
    );
  }

  /** A raw pipe to a TCP port on the device (the daemon byte-swaps the port, so Cradle does too). */
  async connect(deviceId: number, port: number): Promise<DeviceConnection> {
    const { socket, reader } = await this.open();
    try {
      const reply = await this.exchange(socket, reader, {
        MessageType: "Connect",
        DeviceID: deviceId,
        PortNumber: swap16(port),
      });
      const result = this.resultOf(reply, "Connect");
      if (result === RESULT.badDevice)
        throw new DeviceConnectionError(`Device ${deviceId} is no longer attached to ${this.peer}.`, {
          deviceId,
        });
      if (result !== RESULT.ok)
        throw new DeviceConnectionError(`Device ${deviceId} refused a connection to port ${port}.`, {
          deviceId,
          port,
          result,
        });
      return { stream: socket, reader, peer: `device ${deviceId} port ${port}` };
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  /** Reports devices as they attach and detach (those present first) until close() is called. */
  async listen(onEvent: (event: UsbmuxEvent) => void): Promise<{ close(): void }> {
    const { socket, reader } = await this.open();
    const reply = await this.exchange(socket, reader, { MessageType: "Listen" });
    this.expectOk(reply, "Listen");
    const pump = async () => {
      for (;;) {
        const packet = await readUsbmuxPacket(reader);
        if (!packet) return;
        const event = this.eventFrom(parsePlistPacket(packet, this.peer));
        if (event) onEvent(event);
      }
    };
    pump().catch(() => socket.destroy());
    return { close: () => socket.destroy() };
  }

  private async request(body: PlistDict): Promise<PlistDict> {
    const { socket, reader } = await this.open();
    try {
      return await this.exchange(socket, reader, body);
    } finally {
      socket.destroy();
    }
  }

  private async exchange(socket: Socket, reader: ByteReader, body: PlistDict): Promise<PlistDict> {
    const tag = nextTag++;
    socket.write(
      writePlistPacket(tag, {
        ...body,
        ClientVersionString: CLIENT_VERSION,
        ProgName: this.progName,
        kLibUSBMuxVersion: 3,
      }),
    );
    const packet = await readUsbmuxPacket(reader, REPLY_TIMEOUT_MS);
    if (!packet)
      throw new DeviceProtocolError(
        `${this.peer} closed the connection without answering ${body.MessageType}.`,
        {
          peer: this.peer,
          request: body.MessageType,
        },
      );
    const reply = parsePlistPacket(packet, this.peer);
    if (reply.MessageType !== undefined && !KNOWN_REPLIES.has(String(reply.MessageType)))
      throw new DeviceProtocolError(
        `${this.peer} answered ${body.MessageType} with an unexpected message type "${String(reply.MessageType)}".`,
        { peer: this.peer, request: body.MessageType, messageType: reply.MessageType },
      );
    return reply;
  }

  private open(): Promise<{ socket: Socket; reader: ByteReader }> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(netOptions(this.address));
      socket.once("connect", () => {
        socket.off("error", onError);
        resolve({ socket, reader: new ByteReader(socket, this.peer) });
      });
      const onError = (error: NodeJS.ErrnoException) => {
        reject(
          new DeviceConnectionError(
            `usbmuxd is not running: nothing answers at ${formatUsbmuxAddress(this.address)} (${error.code ?? error.message}). ` +
              "Start it (e.g. systemctl start usbmuxd, or plug a device in), or point USBMUXD_SOCKET_ADDRESS at a running one.",
            { address: formatUsbmuxAddress(this.address), cause: error.code ?? error.message },
          ),
        );
      };
      socket.once("error", onError);
    });
  }

  private resultOf(reply: PlistDict, request: string): number {
    if (reply.MessageType !== "Result" || typeof reply.Number !== "number")
      throw new DeviceProtocolError(`${this.peer} answered ${request} without a Result.`, {
        peer: this.peer,
        request,
      });
    return reply.Number;
  }

  private expectOk(reply: PlistDict, request: string): void {
    const result = this.resultOf(reply, request);
    if (result !== RESULT.ok)
      throw new DeviceConnectionError(`${this.peer} refused ${request} (result ${result}).`, {
        request,
        result,
      });
  }

  private deviceFrom(entry: unknown): UsbmuxDevice {
    const record = (entry ?? {}) as PlistDict;
    const properties = (record.Properties ?? {}) as PlistDict;
    const deviceId = record.DeviceID ?? properties.DeviceID;
    if (typeof deviceId !== "number" || typeof properties.SerialNumber !== "string")
      throw new DeviceProtocolError(`${this.peer} listed a device without a DeviceID or SerialNumber.`, {
        peer: this.peer,
      });
    return {
      deviceId,
      udid: sanitizeUdid(properties.SerialNumber),
      connectionType: String(properties.ConnectionType ?? "USB"),
      productId: typeof properties.ProductID === "number" ? properties.ProductID : undefined,
    };
  }

  private eventFrom(message: PlistDict): UsbmuxEvent | undefined {
    if (message.MessageType === "Attached") return { type: "attached", device: this.deviceFrom(message) };
    if (typeof message.DeviceID !== "number") return undefined;
    if (message.MessageType === "Detached") return { type: "detached", deviceId: message.DeviceID };
    if (message.MessageType === "Paired") return { type: "paired", deviceId: message.DeviceID };
    return undefined;
  }
}

/** libusbmuxd puts htons(port) in PortNumber and the daemon applies ntohs: 62078 travels as 32498. */
export function swap16(port: number): number {
  return ((port & 0xff) << 8) | ((port >> 8) & 0xff);
}

/** New-style 24-character UDIDs get their dash after 8 characters, as libusbmuxd writes them. */
export function sanitizeUdid(serial: string): string {
  return serial.length === 24 && !serial.includes("-") ? `${serial.slice(0, 8)}-${serial.slice(8)}` : serial;
}
