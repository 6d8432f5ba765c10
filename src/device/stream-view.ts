/**
 * A fresh Duplex over a device connection's socket, starting with the bytes its reader already
 * buffered: what a service handler, a service client or a TLS layer is given. `release()` stops
 * forwarding (the socket is paused, nothing is lost), so a layer can be left again.
 */
import { Duplex } from "node:stream";
import type { DeviceConnection } from "./connection.js";

export interface StreamView {
  stream: Duplex;
  release(): void;
}

/**
 * `ownsSocket`: ending or destroying the view ends or destroys the socket (a service connection);
 * otherwise the socket outlives it (lockdown's TLS session).
 */
export function viewOf(connection: DeviceConnection, ownsSocket: boolean): StreamView {
  const raw = connection.stream;
  const leftover = connection.reader.detach();
  const view = new Duplex({
    read() {
      raw.resume();
    },
    write(chunk, _encoding, callback) {
      raw.write(chunk, callback);
    },
    final(callback) {
      if (ownsSocket) raw.end(callback);
      else callback();
    },
    destroy(error, callback) {
      if (ownsSocket) raw.destroy(error ?? undefined);
      callback(null);
    },
  });
  const forward = (chunk: Buffer) => {
    if (!view.push(chunk)) raw.pause();
  };
  const ended = () => view.push(null);
  const failed = (error: Error) => view.destroy(error);
  if (leftover.length > 0) view.push(leftover);
  raw.on("data", forward);
  raw.on("end", ended);
  raw.on("error", failed);
  raw.resume();
  return {
    stream: view,
    release() {
      raw.pause();
      raw.off("data", forward);
      raw.off("end", ended);
      raw.off("error", failed);
    },
  };
}
