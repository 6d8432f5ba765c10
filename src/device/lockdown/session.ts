/**
 * A lockdown session with one device, as a service client needs it: the device is found through
 * usbmuxd, its pair record loaded (Cradle's own first, then the one usbmuxd keeps, e.g. from
 * idevicepair or Finder), and a TLS session started. startService connects to the port
 * lockdownd opens and returns the connection, TLS-wrapped when the service asks for it.
 */
import type { Duplex } from "node:stream";
import { pairRecordsDir } from "../../state/paths.js";
import { DeviceConnectionError, PairingError } from "../errors.js";
import { decodePairRecord, type PairRecord } from "../pairing/pair-record.js";
import { PairRecordStore } from "../pairing/record-store.js";
import { viewOf } from "../stream-view.js";
import { startTls } from "../tls-session.js";
import { UsbmuxClient, type UsbmuxDevice } from "../usbmux/client.js";
import { LOCKDOWN_PORT, LOCKDOWN_TYPE, LockdownClient } from "./client.js";

export interface DeviceOptions {
  /** Which device; may be omitted when exactly one is attached. */
  udid?: string;
  usbmux?: UsbmuxClient;
  /** Cradle's pair records (default: under the state dir). */
  records?: PairRecordStore;
}

export const defaultPairRecords = (env: NodeJS.ProcessEnv = process.env) =>
  new PairRecordStore(pairRecordsDir(env));

export async function findDevice(usbmux: UsbmuxClient, udid: string | undefined): Promise<UsbmuxDevice> {
  const devices = await usbmux.listDevices();
  if (udid !== undefined) {
    const device = devices.find((d) => d.udid.toLowerCase() === udid.toLowerCase());
    if (!device)
      throw new DeviceConnectionError(
        `No device ${udid} is attached. "cradle devices" lists those that are.`,
        {
          udid,
        },
      );
    return device;
  }
  const [only, ...others] = devices;
  if (!only) throw new DeviceConnectionError("No device is attached. Plug one in and unlock it.");
  if (others.length > 0)
    throw new DeviceConnectionError(
      `${devices.length} devices are attached (${devices.map((d) => d.udid).join(", ")}); name one by its UDID.`,
      { udids: devices.map((d) => d.udid) },
    );
  return only;
}

/** A plaintext lockdown connection, checked to be lockdownd. */
export async function connectLockdown(usbmux: UsbmuxClient, device: UsbmuxDevice): Promise<LockdownClient> {
  const lockdown = new LockdownClient(await usbmux.connect(device.deviceId, LOCKDOWN_PORT));
  const type = await lockdown.queryType();
  if (type !== LOCKDOWN_TYPE) {
    lockdown.close();
    throw new DeviceConnectionError(`Port ${LOCKDOWN_PORT} of ${device.udid} is "${type}", not lockdownd.`, {
      udid: device.udid,
      type,
    });
  }
  return lockdown;
}

/** The pair record for a device: Cradle's own, else usbmuxd's; undefined when neither has one. */
export async function loadPairRecord(
  udid: string,
  records: PairRecordStore,
  usbmux: UsbmuxClient,
): Promise<PairRecord | undefined> {
  const own = await records.read(udid);
  if (own) return decodePairRecord(own, `${records.dir}/${udid}.plist`);
  const kept = await usbmux.readPairRecord(udid);
  return kept ? decodePairRecord(kept, `${usbmux.peer} (record ${udid})`) : undefined;
}

export class DeviceSession {
  private constructor(
    readonly device: UsbmuxDevice,
    readonly lockdown: LockdownClient,
    readonly record: PairRecord,
    private readonly usbmux: UsbmuxClient,
  ) {}

  static async open(options: DeviceOptions = {}): Promise<DeviceSession> {
    const usbmux = options.usbmux ?? new UsbmuxClient();
    const device = await findDevice(usbmux, options.udid);
    const record = await loadPairRecord(device.udid, options.records ?? defaultPairRecords(), usbmux);
    if (!record)
      throw new PairingError(
        `${device.udid} is not paired with this computer. Run "cradle pair ${device.udid}".`,
        {
          udid: device.udid,
        },
      );
    const lockdown = await connectLockdown(usbmux, device);
    try {
      await lockdown.startSession(record);
    } catch (error) {
      lockdown.close();
      throw error;
    }
    return new DeviceSession(device, lockdown, record, usbmux);
  }

  /** A connected stream to the service, TLS-wrapped when lockdownd says EnableServiceSSL. */
  async startService(name: string, options: { escrowBag?: Uint8Array } = {}): Promise<Duplex> {
    const started = await this.lockdown.startService(name, options);
    const connection = await this.usbmux.connect(this.device.deviceId, started.port);
    if (!started.ssl) return viewOf(connection, true).stream;
    const tls = await startTls(
      connection,
      "client",
      { cert: this.record.HostCertificate, key: this.record.HostPrivateKey },
      { ownsSocket: true },
    );
    return tls.tls;
  }

  async close(): Promise<void> {
    try {
      await this.lockdown.stopSession();
    } finally {
      this.lockdown.close();
    }
  }
}
