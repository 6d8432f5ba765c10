/**
 * A host's pair record with one device, as libimobiledevice and usbmuxd keep it: the root CA
 * and host certificates Cradle makes, the device certificate it issues for the device's public
 * key, the HostID and SystemBUID lockdownd knows the host by, and the EscrowBag the device hands
 * back. PEM bytes travel as <data>. The private keys in it are secrets: mode 0600, never logged.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, randomUUID } from "node:crypto";
import { PairingError } from "../errors.js";
import { buildXmlPlist, type PlistValue, parsePlist } from "../plist/index.js";
import { buildCertificate, pem } from "./x509.js";

export interface PairRecord {
  DeviceCertificate: Buffer;
  HostCertificate: Buffer;
  HostPrivateKey: Buffer;
  RootCertificate: Buffer;
  RootPrivateKey: Buffer;
  HostID: string;
  SystemBUID: string;
  EscrowBag?: Buffer;
  WiFiMACAddress?: string;
}

const REQUIRED = [
  "DeviceCertificate",
  "HostCertificate",
  "HostPrivateKey",
  "RootCertificate",
  "RootPrivateKey",
] as const;

export function generateRsaKey(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync("rsa", { modulusLength: 2048 });
}

const privatePem = (key: KeyObject) => Buffer.from(key.export({ type: "pkcs1", format: "pem" }));

/** A new record for a device whose DevicePublicKey (PEM, PKCS#1 or SPKI) is given. */
export function generatePairRecord(devicePublicKey: Uint8Array, systemBuid: string): PairRecord {
  let deviceKey: KeyObject;
  try {
    deviceKey = createPublicKey(Buffer.from(devicePublicKey));
  } catch (error) {
    throw new PairingError(
      `The device's DevicePublicKey is not a PEM public key (${(error as Error).message}).`,
    );
  }
  const root = generateRsaKey();
  const host = generateRsaKey();
  const rootCertificate = buildCertificate({
    publicKey: root.publicKey,
    signingKey: root.privateKey,
    ca: true,
  });
  const issue = (publicKey: KeyObject) =>
    buildCertificate({ publicKey, signingKey: root.privateKey, ca: false });
  return {
    DeviceCertificate: Buffer.from(pem(issue(deviceKey))),
    HostCertificate: Buffer.from(pem(issue(host.publicKey))),
    HostPrivateKey: privatePem(host.privateKey),
    RootCertificate: Buffer.from(pem(rootCertificate)),
    RootPrivateKey: privatePem(root.privateKey),
    HostID: randomUUID().toUpperCase(),
    SystemBUID: systemBuid,
  };
}

/** What Pair and ValidatePair send: the record without its private keys. */
export function pairRequestRecord(record: PairRecord): Record<string, Buffer | string> {
  return {
    DeviceCertificate: record.DeviceCertificate,
    HostCertificate: record.HostCertificate,
    HostID: record.HostID,
    RootCertificate: record.RootCertificate,
    SystemBUID: record.SystemBUID,
  };
}

export function encodePairRecord(record: PairRecord): Buffer {
  const entries = Object.entries(record).filter(([, value]) => value !== undefined);
  return Buffer.from(buildXmlPlist(Object.fromEntries(entries) as PlistValue), "utf8");
}

/** Reads a stored record (XML or binary plist); `source` names where it came from in errors. */
export function decodePairRecord(bytes: Uint8Array, source: string): PairRecord {
  let value: unknown;
  try {
    value = parsePlist(bytes, "it");
  } catch (error) {
    throw new PairingError(
      `The pair record in ${source} is not a valid plist (${(error as Error).message}).`,
      {
        source,
      },
    );
  }
  const dict = (value ?? {}) as Record<string, unknown>;
  const missing = REQUIRED.filter((key) => !(dict[key] instanceof Uint8Array));
  if (typeof dict.HostID !== "string") missing.push("HostID" as never);
  if (missing.length > 0)
    throw new PairingError(
      `The pair record in ${source} lacks ${missing.join(", ")}. Pair again with "cradle pair".`,
      { source, missing },
    );
  const bytesOf = (key: string) => Buffer.from(dict[key] as Uint8Array);
  return {
    DeviceCertificate: bytesOf("DeviceCertificate"),
    HostCertificate: bytesOf("HostCertificate"),
    HostPrivateKey: bytesOf("HostPrivateKey"),
    RootCertificate: bytesOf("RootCertificate"),
    RootPrivateKey: bytesOf("RootPrivateKey"),
    HostID: dict.HostID as string,
    SystemBUID: typeof dict.SystemBUID === "string" ? dict.SystemBUID : "",
    ...(dict.EscrowBag instanceof Uint8Array ? { EscrowBag: Buffer.from(dict.EscrowBag) } : {}),
    ...(typeof dict.WiFiMACAddress === "string" ? { WiFiMACAddress: dict.WiFiMACAddress } : {}),
  };
}
