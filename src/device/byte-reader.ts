/**
 * Exact-length reads from a byte stream. Protocol layers on one socket (usbmux, then lockdown,
 * then TLS) share one reader, so no byte read ahead by one layer is lost to the next.
 */
import type { Readable } from "node:stream";
import { DeviceProtocolError } from "./errors.js";

/** Past this many unread bytes the stream is paused until reads catch up (bounded memory). */
const HIGH_WATER = 8 * 1024 * 1024;

export class ByteReader {
  /** Unread chunks from `head` on; the front ones are dropped in batches, not shifted one by one. */
  private chunks: Buffer[] = [];
  private head = 0;
  private buffered = 0;
  private paused = false;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly onData = (chunk: Buffer) => {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered > HIGH_WATER && !this.paused) {
      this.paused = true;
      this.stream.pause();
    }
    this.notify();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.notify();
  };
  private readonly onError = (error: Error) => {
    this.failure = error;
    this.notify();
  };

  /** `peer` names the other side in errors ("usbmuxd at UNIX:/var/run/usbmuxd"). */
  constructor(
    private readonly stream: Readable,
    readonly peer: string,
  ) {
    stream.on("data", this.onData);
    stream.on("end", this.onEnd);
    stream.on("close", this.onEnd);
    stream.on("error", this.onError);
    // A stream a previous reader paused stays paused until told otherwise.
    stream.resume();
  }

  /** Bytes already received and not yet read. */
  get available(): number {
    return this.buffered;
  }

  /** True once the peer closed and every received byte was read. */
  get finished(): boolean {
    return this.ended && this.buffered === 0;
  }

  /**
   * Resolves with exactly `length` bytes; rejects when the stream ends first (naming `what`, e.g.
   * "a usbmux header") or, with `timeoutMs`, when they do not all arrive in time.
   */
  async read(length: number, what: string, timeoutMs?: number): Promise<Buffer> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    while (this.buffered < length) {
      if (this.failure) throw this.failure;
      if (this.ended)
        throw new DeviceProtocolError(
          `${this.peer} closed the connection after ${this.buffered} of the ${length} bytes of ${what}.`,
          { peer: this.peer, what, expected: length, received: this.buffered },
        );
      await this.waitForData(deadline, what);
    }
    return this.take(length);
  }

  /** The next byte without consuming it; undefined when the stream ended. */
  async peek(): Promise<number | undefined> {
    while (this.buffered === 0) {
      if (this.failure) throw this.failure;
      if (this.ended) return undefined;
      await this.waitForData(undefined, "the next message");
    }
    return (this.chunks[this.head] as Buffer)[0];
  }

  /** Stops listening, so another layer (TLS) may own the stream; returns the bytes not yet read. */
  detach(): Buffer {
    this.stream.pause();
    this.stream.off("data", this.onData);
    this.stream.off("end", this.onEnd);
    this.stream.off("close", this.onEnd);
    this.stream.off("error", this.onError);
    this.ended = true;
    this.notify();
    return this.take(this.buffered);
  }

  /** Copies only the chunks `length` spans: a small read never copies the whole backlog. */
  private take(length: number): Buffer {
    const first = this.chunks[this.head];
    let result: Buffer;
    if (first && first.length >= length) {
      result = first.subarray(0, length);
      this.consume(first, length);
    } else {
      result = Buffer.allocUnsafe(length);
      for (let filled = 0; filled < length; ) {
        const chunk = this.chunks[this.head] as Buffer;
        const n = Math.min(chunk.length, length - filled);
        chunk.copy(result, filled, 0, n);
        filled += n;
        this.consume(chunk, n);
      }
    }
    this.buffered -= length;
    if (this.paused && this.buffered < HIGH_WATER / 2 && !this.ended) {
      this.paused = false;
      this.stream.resume();
    }
    return result;
  }

  private consume(chunk: Buffer, n: number): void {
    if (n < chunk.length) {
      this.chunks[this.head] = chunk.subarray(n);
      return;
    }
    this.head++;
    if (this.head > 1024 || this.head === this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  private waitForData(deadline: number | undefined, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer =
        deadline === undefined
          ? undefined
          : setTimeout(
              () => {
                this.wake = undefined;
                reject(
                  new DeviceProtocolError(`${this.peer} did not send ${what} in time.`, {
                    peer: this.peer,
                    what,
                  }),
                );
              },
              Math.max(0, deadline - Date.now()),
            );
      this.wake = () => {
        if (timer) clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private notify(): void {
    this.wake?.();
  }
}
