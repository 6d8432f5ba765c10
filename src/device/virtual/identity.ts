/**
 * The virtual iPhone's identity: the values lockdownd answers GetValue with, kept as an XML plist
 * (DEVICE_PATHS.lockdownValues) for the device-link work to serve later.
 *
 * The model and OS are fixed (an iPhone 14 Pro on iOS 18.1, build 22B83); everything unique to
 * one device is derived from the seed. The UDID uses the 40-hex form of devices before the
 * iPhone XS (a SHA-1); newer devices use "<chip id>-<ECID>", which later work may switch to.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { buildXmlPlist, type PlistValue, parsePlist } from "../plist/index.js";
import type { Random } from "./random.js";

export const DEFAULT_DEVICE_NAME = "Cradle iPhone";

export interface DeviceIdentity {
  UniqueDeviceID: string;
  DeviceName: string;
  DeviceClass: "iPhone";
  ProductName: "iPhone OS";
  ProductType: string;
  ProductVersion: string;
  BuildVersion: string;
  HardwareModel: string;
  CPUArchitecture: string;
  SerialNumber: string;
  UniqueChipID: number;
  WiFiAddress: string;
  BluetoothAddress: string;
}

const MODEL = {
  ProductType: "iPhone15,2",
  HardwareModel: "D73AP",
  CPUArchitecture: "arm64e",
  ProductVersion: "18.1",
  BuildVersion: "22B83",
} as const;

/** Apple's randomised serials (since 2021) are 10 characters; vowels are avoided (inferred from samples). */
const SERIAL_ALPHABET = "0123456789BCDFGHJKLMNPQRTVWXYZ";

/** A unicast address (low bit of the first octet clear). */
const mac = (random: Random) =>
  [random.int(0, 127) * 2, ...Array.from({ length: 5 }, () => random.int(0, 255))]
    .map((octet) => octet.toString(16).padStart(2, "0"))
    .join(":");

export function deviceIdentity(seed: string, name: string, random: Random): DeviceIdentity {
  return {
    UniqueDeviceID: createHash("sha1").update(`cradle virtual iPhone\0${seed}`).digest("hex"),
    DeviceName: name,
    DeviceClass: "iPhone",
    ProductName: "iPhone OS",
    ...MODEL,
    SerialNumber: Array.from({ length: 10 }, () => random.pick([...SERIAL_ALPHABET])).join(""),
    // Below 2^52, so that it stays an exact JSON number.
    UniqueChipID: random.int(2 ** 40, 2 ** 52 - 1),
    WiFiAddress: mac(random),
    BluetoothAddress: mac(random),
  };
}

/** Apple's XML plist, keys sorted as Apple's writers sort them. */
export function lockdownPlist(identity: DeviceIdentity): string {
  const sorted = Object.fromEntries(Object.entries(identity).sort(([a], [b]) => (a < b ? -1 : 1)));
  return buildXmlPlist(sorted as PlistValue);
}

/** The stored values, or undefined when the tree has none (an unpacked backup, an extraction). */
export function readLockdownValues(path: string): Partial<DeviceIdentity> | undefined {
  if (!existsSync(path)) return undefined;
  const value = parsePlist(readFileSync(path), path);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${path} is not a dictionary plist`);
  return value as Partial<DeviceIdentity>;
}
