/**
 * Info.plist, Manifest.plist and Status.plist for an exported backup, with the keys the
 * device and host tools write (data-formats.md §1.2-1.4; idevicebackup2, pymobiledevice3).
 * Status.plist says SnapshotState "finished": without it idevicebackup2 refuses to restore.
 */
import { randomUUID } from "node:crypto";
import { buildBinaryPlist, buildXmlPlist, type PlistValue } from "../../device/plist/index.js";
import type { SourceDevice } from "../tree.js";

export interface BackupPlists {
  "Info.plist": Buffer;
  "Manifest.plist": Buffer;
  "Status.plist": Buffer;
}

export interface EncryptionRecord {
  /** The keybag TLV stream (Manifest.plist BackupKeyBag). */
  keyBag: Uint8Array;
  /** 4-byte little-endian class + the wrapped Manifest.db key (Manifest.plist ManifestKey). */
  manifestKey: Uint8Array;
}

export function backupPlists(device: SourceDevice, date: Date, encryption?: EncryptionRecord): BackupPlists {
  const udid = device.udid;
  const lockdown = {
    ProductVersion: device.productVersion ?? "",
    ProductType: device.productType ?? "",
    BuildVersion: device.buildVersion ?? "",
    UniqueDeviceID: udid,
    SerialNumber: device.serialNumber ?? "",
    DeviceName: device.name,
  };
  // idevicebackup2 writes Info.plist as XML; the device sends the other two as binary plists.
  const info = buildXmlPlist({
    "Build Version": lockdown.BuildVersion,
    "Device Name": device.name,
    "Display Name": device.name,
    GUID: randomUUID().toUpperCase(),
    "Last Backup Date": date,
    "Product Type": lockdown.ProductType,
    "Product Version": lockdown.ProductVersion,
    "Serial Number": lockdown.SerialNumber,
    "Target Identifier": udid,
    "Target Type": "Device",
    "Unique Identifier": udid.toUpperCase(),
  });
  const manifest: { [key: string]: PlistValue } = {
    IsEncrypted: encryption !== undefined,
    Version: "10.0",
    Date: date,
    WasPasscodeSet: false,
    Lockdown: lockdown,
    Applications: {},
  };
  if (encryption) {
    manifest.BackupKeyBag = encryption.keyBag;
    manifest.ManifestKey = encryption.manifestKey;
  }
  const status = {
    BackupState: "new",
    Date: date,
    IsFullBackup: true,
    Version: "3.3",
    SnapshotState: "finished",
    UUID: randomUUID().toUpperCase(),
  };
  return {
    "Info.plist": Buffer.from(info),
    "Manifest.plist": buildBinaryPlist(manifest),
    "Status.plist": buildBinaryPlist(status),
  };
}
