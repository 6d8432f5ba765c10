/**
 * Two ends of a real Unix socket in a temp dir, each with an exact reader: the device handler
 * runs on one, the Cradle client on the other, as they would across usbmuxd.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ByteReader } from "../../src/device/byte-reader.js";

export interface SocketPair {
  deviceReader: ByteReader;
  hostReader: ByteReader;
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
    deviceReader: new ByteReader(deviceSocket, "the host"),
    hostReader: new ByteReader(hostSocket, "the device"),
    deviceSocket,
    hostSocket,
    close() {
      deviceSocket.destroy();
      hostSocket.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
