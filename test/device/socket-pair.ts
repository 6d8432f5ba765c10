/**
 * Two ends of a real Unix socket in a temp dir, each with an exact reader: the device handler
 * runs on one, the Cradle client on the other, as they would across usbmuxd.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { ExactReader } from "../../src/device/plist/channel.js";

/** Exact reads over a socket, for tests until device-core's ByteReader is merged. */
export class TestReader implements ExactReader {
  private buffered = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(
    stream: Readable,
    readonly peer: string,
  ) {
    stream.on("data", (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake?.();
    });
    const end = () => {
      this.ended = true;
      this.wake?.();
    };
    stream.on("end", end);
    stream.on("close", end);
    stream.on("error", end);
  }

  async read(length: number, what: string): Promise<Buffer> {
    while (this.buffered.length < length) {
      if (this.ended)
        throw new Error(`${this.peer} closed after ${this.buffered.length} of ${length} bytes of ${what}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    const result = this.buffered.subarray(0, length);
    this.buffered = this.buffered.subarray(length);
    return result;
  }

  async peek(): Promise<number | undefined> {
    while (this.buffered.length === 0) {
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    return this.buffered[0];
  }
}

export interface SocketPair {
  deviceReader: TestReader;
  hostReader: TestReader;
  deviceSocket: Socket;
  hostSocket: Socket;
  close(): void;
}

export async function socketPair(): Promise<SocketPair> {
  const dir = mkdtempSync(join(tmpdir(), "cradle-dl-"));
  const path = join(dir, "s");
  let accept: (socket: Socket) => void = () => undefined;
  const accepted = new Promise<Socket>((resolve) => {
    accept = resolve;
  });
  const server = createServer((socket) => {
    server.close();
    accept(socket);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const hostSocket = connect(path);
  const deviceSocket = await accepted;
  return {
    deviceReader: new TestReader(deviceSocket, "the host"),
    hostReader: new TestReader(hostSocket, "the device"),
    deviceSocket,
    hostSocket,
    close() {
      deviceSocket.destroy();
      hostSocket.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
