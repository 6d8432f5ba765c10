import type { Duplex } from "node:stream";
import type { ByteReader } from "./byte-reader.js";

/** One byte pipe to a device port (through usbmuxd), with the reader every layer on it shares. */
export interface DeviceConnection {
  stream: Duplex;
  reader: ByteReader;
  /** Names the other side in errors. */
  peer: string;
}
