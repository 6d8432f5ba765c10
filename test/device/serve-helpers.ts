import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Domain } from "../../src/core/endpoint.js";
import { PairRecordStore } from "../../src/device/pairing/record-store.js";
import type { VirtualService } from "../../src/device/service.js";
import { createVirtualDevice } from "../../src/device/virtual/create.js";
import { type ServingDevice, serveVirtualDevice } from "../../src/device/virtual-device/serve.js";

export interface ServedFixture {
  dir: string;
  home: string;
  socket: string;
  /** As USBMUXD_SOCKET_ADDRESS spells it. */
  address: string;
  served: ServingDevice;
  errors: Error[];
  /** Cradle's own pair records for the client side. */
  clientRecords: PairRecordStore;
}

/** A fresh virtual iPhone served on a Unix socket in a temp dir. */
export async function serveFixture(
  options: { icloud?: Domain[]; services?: VirtualService[] } = {},
): Promise<ServedFixture> {
  const dir = mkdtempSync(join(tmpdir(), "cradle-serve-"));
  const home = join(dir, "phone");
  createVirtualDevice(home, { sample: 2, icloud: options.icloud ?? [] });
  const socket = join(dir, "usbmuxd.sock");
  const errors: Error[] = [];
  const served = await serveVirtualDevice({
    home,
    address: { kind: "unix", path: socket },
    hostRecords: new PairRecordStore(join(dir, "usbmuxd-records")),
    services: options.services ?? [],
    onError: (error) => errors.push(error),
  });
  return {
    dir,
    home,
    socket,
    address: `UNIX:${socket}`,
    served,
    errors,
    clientRecords: new PairRecordStore(join(dir, "cradle-records")),
  };
}
