/**
 * A DeviceLink connection: binary plists, each an array whose first item names the message
 * ("DLMessageProcessMessage"...), and the raw byte streams mobilebackup2 interleaves for file
 * contents. Both roles use it.
 */
import type { Writable } from "node:stream";
import type { PlistValue } from "../plist/index.js";
import { type ExactReader, MAX_DEVICELINK_MESSAGE_BYTES, PlistChannel } from "../plist-service.js";
import { DeviceLinkError } from "./errors.js";

/** A DeviceLink message: its name, then its arguments. */
export type DeviceLinkMessage = [string, ...PlistValue[]];

export class DeviceLinkChannel extends PlistChannel {
  constructor(reader: ExactReader, stream: Writable) {
    super(reader, stream, "binary", MAX_DEVICELINK_MESSAGE_BYTES);
  }

  send(message: DeviceLinkMessage): Promise<void> {
    return this.sendPlist(message);
  }

  /** The next message; undefined when the peer closed cleanly between messages. */
  async receiveOrEnd(timeoutMs?: number): Promise<DeviceLinkMessage | undefined> {
    const value = await this.receivePlist("a DeviceLink message", timeoutMs);
    if (value === undefined) return undefined;
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
}
