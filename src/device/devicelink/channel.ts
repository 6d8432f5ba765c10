/**
 * A DeviceLink connection: binary plists framed by a u32 big-endian length, each an array whose
 * first item names the message ("DLMessageProcessMessage"...), and the raw byte streams
 * mobilebackup2 interleaves for file contents. Both roles use it.
 */
import type { Writable } from "node:stream";
import { buildBinaryPlist, type PlistValue, parsePlist } from "../plist/index.js";
import { DeviceLinkError } from "./errors.js";

/** Exact-length reads from the connection (device-core's ByteReader has this shape). */
export interface ExactReader {
  read(length: number, what: string, timeoutMs?: number): Promise<Buffer>;
  /** The next byte without consuming it; undefined once the peer closed. */
  peek(): Promise<number | undefined>;
  readonly peer: string;
}

/** A message longer than this is refused before anything is allocated; real ones are kilobytes. */
export const MAX_DEVICELINK_MESSAGE_BYTES = 32 << 20;

/** A DeviceLink message: its name, then its arguments. */
export type DeviceLinkMessage = [string, ...PlistValue[]];

export class DeviceLinkChannel {
  constructor(
    readonly reader: ExactReader,
    private readonly stream: Writable,
  ) {}

  get peer(): string {
    return this.reader.peer;
  }

  async send(message: DeviceLinkMessage): Promise<void> {
    const body = buildBinaryPlist(message);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length, 0);
    await this.writeRaw(Buffer.concat([length, body]));
  }

  /** The next message; undefined when the peer closed cleanly between messages. */
  async receiveOrEnd(timeoutMs?: number): Promise<DeviceLinkMessage | undefined> {
    if ((await this.reader.peek()) === undefined) return undefined;
    const length = (await this.reader.read(4, "a DeviceLink length prefix", timeoutMs)).readUInt32BE(0);
    if (length === 0 || length > MAX_DEVICELINK_MESSAGE_BYTES)
      throw new DeviceLinkError(
        `${this.peer} sent a DeviceLink message of ${length} bytes; a message holds 1 to ${MAX_DEVICELINK_MESSAGE_BYTES} bytes.`,
        { peer: this.peer, length },
      );
    const body = await this.reader.read(length, "a DeviceLink message", timeoutMs);
    const value = parsePlist(body, `a DeviceLink message from ${this.peer}`);
    // device_link_service.c: an array whose first item is a string starting "DL" (or the
    // service's own prefix: mobilesync's "SD..."), at least 9 characters long.
    if (!Array.isArray(value) || typeof value[0] !== "string" || value[0].length < 9)
      throw new DeviceLinkError(`${this.peer} sent a plist that is not a DeviceLink message.`, {
        peer: this.peer,
      });
    return value as DeviceLinkMessage;
  }

  /** The next message; the peer closing here is an error. */
  async receive(timeoutMs?: number): Promise<DeviceLinkMessage> {
    const message = await this.receiveOrEnd(timeoutMs);
    if (message === undefined)
      throw new DeviceLinkError(`${this.peer} closed the connection where a DeviceLink message was due.`, {
        peer: this.peer,
      });
    return message;
  }

  /** The next message, which must be `name`; returns its arguments. */
  async expect(name: string, timeoutMs?: number): Promise<PlistValue[]> {
    const [received, ...args] = await this.receive(timeoutMs);
    if (received !== name)
      throw new DeviceLinkError(`${this.peer} sent ${received} where ${name} was due.`, {
        peer: this.peer,
        expected: name,
        received,
      });
    return args;
  }

  readRaw(length: number, what: string): Promise<Buffer> {
    return this.reader.read(length, what);
  }

  writeRaw(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.stream.write(bytes, (error) => (error ? reject(error) : resolve())),
    );
  }
}
