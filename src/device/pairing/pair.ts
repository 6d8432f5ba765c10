/**
 * `cradle pair`: makes this computer a host the device trusts, as idevicepair does. The record is
 * kept by Cradle (mode 0600) and handed to usbmuxd (SavePairRecord), so other tools share it;
 * then a session proves it works.
 */
import { DeviceProtocolError } from "../errors.js";
import { connectLockdown, type DeviceOptions, defaultPairRecords, findDevice } from "../lockdown/session.js";
import { UsbmuxClient } from "../usbmux/client.js";
import { encodePairRecord, generatePairRecord } from "./pair-record.js";

export interface PairResult {
  udid: string;
  name: string;
  hostId: string;
  /** Where Cradle keeps the record. */
  recordPath: string;
}

export async function pairDevice(options: DeviceOptions = {}): Promise<PairResult> {
  const usbmux = options.usbmux ?? new UsbmuxClient();
  const records = options.records ?? defaultPairRecords();
  const device = await findDevice(usbmux, options.udid);
  const lockdown = await connectLockdown(usbmux, device);
  try {
    const publicKey = await lockdown.getValue(undefined, "DevicePublicKey");
    if (!(publicKey instanceof Uint8Array))
      throw new DeviceProtocolError(`${device.udid} did not give its DevicePublicKey.`, {
        udid: device.udid,
      });
    const wifi = await lockdown.getValue(undefined, "WiFiAddress");
    const name = await lockdown.getValue(undefined, "DeviceName");
    const record = generatePairRecord(publicKey, await usbmux.readBuid());
    const escrowBag = await lockdown.pair(record);
    if (escrowBag) record.EscrowBag = escrowBag;
    if (typeof wifi === "string") record.WiFiMACAddress = wifi;
    const bytes = encodePairRecord(record);
    await records.write(device.udid, bytes);
    await usbmux.savePairRecord(device.udid, device.deviceId, bytes);
    await lockdown.startSession(record);
    await lockdown.stopSession();
    return {
      udid: device.udid,
      name: typeof name === "string" ? name : device.udid,
      hostId: record.HostID,
      recordPath: `${records.dir}/${device.udid}.plist`,
    };
  } finally {
    lockdown.close();
  }
}
