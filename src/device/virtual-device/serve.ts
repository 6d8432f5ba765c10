/**
 * `cradle device serve`: a virtual iPhone (a folder made by `cradle device create`) served as a
 * usbmuxd socket, so that libimobiledevice's tools and Cradle's own client can talk to it as to a
 * phone on a cable: usbmuxd → lockdownd (pairing, TLS sessions, values) → services.
 */
import { join } from "node:path";
import { stateHome } from "../../state/paths.js";
import type { DeviceConnection } from "../connection.js";
import { LOCKDOWN_PORT } from "../lockdown/client.js";
import { serveLockdown } from "../lockdown/server.js";
import { PairRecordStore } from "../pairing/record-store.js";
import type { DeviceSyncState, VirtualDeviceContext, VirtualService } from "../service.js";
import { viewOf } from "../stream-view.js";
import { startTls, type TlsCredentials } from "../tls-session.js";
import type { UsbmuxAddress } from "../usbmux/address.js";
import { startUsbmuxServer } from "../usbmux/server.js";
import { loadDeviceKeys, trustedHosts } from "./device-keys.js";
import { lookupValue, setVirtualValue, virtualLockdownDomains } from "./lockdown-values.js";
import { VIRTUAL_SERVICES } from "./services.js";

/** What every iPhone since the iPhone 5 reports over USB. */
const IPHONE_PRODUCT_ID = 0x12a8;
const DEVICE_ID = 1;
/** Service ports are handed out from the dynamic range, as lockdownd does. */
const FIRST_SERVICE_PORT = 49152;

export interface ServeOptions {
  home: string;
  address: UsbmuxAddress;
  /** The virtual usbmuxd's store of host pair records (default: under the Cradle state dir). */
  hostRecords?: PairRecordStore;
  services?: VirtualService[];
  /** A connection failed; serving goes on. */
  onError?: (error: Error) => void;
}

export interface ServingDevice {
  address: UsbmuxAddress;
  udid: string;
  name: string;
  /** What hosts did with the device's sync lock and notifications, in order. */
  readonly journal: readonly string[];
  close(): Promise<void>;
}

export function virtualUsbmuxRecords(env: NodeJS.ProcessEnv = process.env): PairRecordStore {
  return new PairRecordStore(join(stateHome(env), "virtual-usbmuxd"));
}

export async function serveVirtualDevice(options: ServeOptions): Promise<ServingDevice> {
  const { home } = options;
  // Values first: a folder that is no device must fail before a key is written into it.
  const identity = virtualLockdownDomains(home, Buffer.alloc(0))[""] as Record<string, unknown>;
  const keys = await loadDeviceKeys(home);
  const domains = () => virtualLockdownDomains(home, keys.publicKeyPem);
  const udid = String(identity.UniqueDeviceID);
  const services = options.services ?? VIRTUAL_SERVICES;
  const report = (error: Error) => options.onError?.(error);
  const pending = new Map<number, { service: VirtualService; credentials: TlsCredentials }>();
  let nextPort = FIRST_SERVICE_PORT;
  const sync: DeviceSyncState = { journal: [] };

  const serveService = async (port: number, connection: DeviceConnection) => {
    const opened = pending.get(port);
    if (!opened) return;
    pending.delete(port);
    const context: VirtualDeviceContext = {
      home,
      udid,
      values: domains()[""] as Record<string, unknown>,
      sync,
    };
    const stream = opened.service.ssl
      ? (await startTls(connection, "server", opened.credentials, { ownsSocket: true })).tls
      : viewOf(connection, true).stream;
    try {
      await opened.service.handler(stream, context);
    } finally {
      stream.destroy();
    }
  };

  const serveLockdownConnection = async (connection: DeviceConnection) => {
    let values = domains();
    await serveLockdown(connection, {
      getValue: (domain, key) => lookupValue(values, domain, key),
      async setValue(domain, key, value) {
        if (!(await setVirtualValue(home, domain, key, value))) return false;
        values = domains();
        return true;
      },
      devicePrivateKey: keys.privateKey,
      hosts: trustedHosts(home),
      services,
      openServicePort(service, credentials) {
        const port = nextPort++;
        pending.set(port, { service, credentials });
        return port;
      },
    });
  };

  const run = (work: Promise<void>, connection: DeviceConnection) =>
    work.catch(report).finally(() => connection.stream.destroy());

  const server = await startUsbmuxServer({
    address: options.address,
    records: options.hostRecords ?? virtualUsbmuxRecords(),
    onError: report,
    devices: [
      {
        deviceId: DEVICE_ID,
        udid,
        productId: IPHONE_PRODUCT_ID,
        open(port) {
          if (port === LOCKDOWN_PORT) return (c) => run(serveLockdownConnection(c), c);
          if (pending.has(port)) return (c) => run(serveService(port, c), c);
          return undefined;
        },
      },
    ],
  });
  return {
    address: server.address,
    udid,
    name: String(identity.DeviceName),
    journal: sync.journal,
    close: server.close,
  };
}
