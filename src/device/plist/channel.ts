/**
 * The framing of lockdown's plist services: a u32 big-endian length, then a plist (XML or
 * bplist00). notification_proxy speaks it in XML, DeviceLink services in binary. The length is
 * checked before anything is allocated.
 */
import type { Writable } from "node:stream";
import { MalformedPlistError } from "./errors.js";
import { buildBinaryPlist, buildXmlPlist, type PlistValue, parsePlist } from "./index.js";

/** Exact-length reads from the connection (device-core's ByteReader has this shape). */
export interface ExactReader {
  read(length: number, what: string, timeoutMs?: number): Promise<Buffer>;
  /** The next byte without consuming it; undefined once the peer closed. */
  peek(): Promise<number | undefined>;
  readonly peer: string;
}

/** A message longer than this is refused; real ones are kilobytes. */
export const MAX_PLIST_MESSAGE_BYTES = 32 << 20;

export class PlistChannel {
  constructor(
    readonly reader: ExactReader,
    private readonly stream: Writable,
    private readonly format: "xml" | "binary",
  ) {}

  get peer(): string {
    return this.reader.peer;
  }

  async sendPlist(value: PlistValue): Promise<void> {
    const body = this.format === "xml" ? Buffer.from(buildXmlPlist(value), "utf8") : buildBinaryPlist(value);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length, 0);
    await this.writeRaw(Buffer.concat([length, body]));
  }

  /** The next plist; undefined when the peer closed cleanly between messages. */
  async receivePlist(what: string, timeoutMs?: number): Promise<PlistValue | undefined> {
    if ((await this.reader.peek()) === undefined) return undefined;
    const length = (await this.reader.read(4, `the length of ${what}`, timeoutMs)).readUInt32BE(0);
    if (length === 0 || length > MAX_PLIST_MESSAGE_BYTES)
      throw new MalformedPlistError(
        `${this.peer} sent ${what} of ${length} bytes; a message holds 1 to ${MAX_PLIST_MESSAGE_BYTES} bytes.`,
        { peer: this.peer, length },
      );
    const body = await this.reader.read(length, what, timeoutMs);
    return parsePlist(body, `${what} from ${this.peer}`);
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
