/**
 * `cradle devices`: what usbmuxd lists, each with its name, iOS version and whether this computer
 * holds a pair record for it, plus what the USB bus shows, so "usbmuxd is not running" and "no
 * device plugged in" read differently.
 */
import { DeviceConnectionError } from "./errors.js";
import type { LockdownClient } from "./lockdown/client.js";
import { connectLockdown, defaultPairRecords } from "./lockdown/session.js";
import type { PairRecordStore } from "./pairing/record-store.js";
import { probeUsb, type UsbProbe } from "./usb-probe.js";
import { UsbmuxClient } from "./usbmux/client.js";

export interface AttachedDevice {
  udid: string;
  name: string | null;
  productVersion: string | null;
  /** A pair record for it is held by Cradle or by usbmuxd. */
  paired: boolean;
  connectionType: string;
}

export interface DevicesReport {
  devices: AttachedDevice[];
  /** Why usbmuxd could not be asked; undefined when it answered. */
  usbmuxdProblem: string | undefined;
  usb: UsbProbe;
}

export async function listAttachedDevices(
  options: { usbmux?: UsbmuxClient; records?: PairRecordStore; probe?: () => Promise<UsbProbe> } = {},
): Promise<DevicesReport> {
  const usbmux = options.usbmux ?? new UsbmuxClient();
  const records = options.records ?? defaultPairRecords();
  const usb = await (options.probe ?? probeUsb)();
  let listed: Awaited<ReturnType<UsbmuxClient["listDevices"]>>;
  try {
    listed = await usbmux.listDevices();
  } catch (error) {
    if (error instanceof DeviceConnectionError) return { devices: [], usbmuxdProblem: error.message, usb };
    throw error;
  }
  const devices: AttachedDevice[] = [];
  for (const device of listed) {
    const paired =
      (await records.read(device.udid)) !== undefined ||
      (await usbmux.readPairRecord(device.udid)) !== undefined;
    // Name and version are answered without a session, as idevice_id asks for them.
    let lockdown: LockdownClient | undefined;
    let name: unknown = null;
    let productVersion: unknown = null;
    try {
      lockdown = await connectLockdown(usbmux, device);
      name = await lockdown.getValue(undefined, "DeviceName");
      productVersion = await lockdown.getValue(undefined, "ProductVersion");
    } catch {
      // A device that is still booting or locked is listed without them.
    } finally {
      lockdown?.close();
    }
    devices.push({
      udid: device.udid,
      name: typeof name === "string" ? name : null,
      productVersion: typeof productVersion === "string" ? productVersion : null,
      paired,
      connectionType: device.connectionType,
    });
  }
  return { devices, usbmuxdProblem: undefined, usb };
}
