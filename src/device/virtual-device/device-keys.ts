/**
 * The virtual device's own RSA key, which the device certificate each host issues certifies.
 * A real device keeps it in /var/root/Library/Lockdown; the virtual one keeps it, and the hosts it
 * trusts, inside its folder so the folder is the whole device. Made on first serve, mode 0600.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../../adapters/shared/atomic-write.js";
import { generateRsaKey } from "../pairing/pair-record.js";
import { PairRecordStore } from "../pairing/record-store.js";
import { devicePath } from "../virtual/layout.js";

const KEY_FILE = "device_private_key.pem";
const HOSTS_DIR = "pair_records";

export interface DeviceKeys {
  privateKey: KeyObject;
  /** DevicePublicKey as lockdownd answers it: PEM, PKCS#1. */
  publicKeyPem: Buffer;
}

const lockdownDir = (home: string) => dirname(devicePath(home, "lockdownValues"));

export async function loadDeviceKeys(home: string): Promise<DeviceKeys> {
  const path = join(lockdownDir(home), KEY_FILE);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    privateKey = generateRsaKey().privateKey;
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, privateKey.export({ type: "pkcs1", format: "pem" }), 0o600);
  }
  const publicKeyPem = Buffer.from(createPublicKey(privateKey).export({ type: "pkcs1", format: "pem" }));
  return { privateKey, publicKeyPem };
}

/** The hosts the virtual device trusts, one record per HostID. */
export function trustedHosts(home: string): PairRecordStore {
  return new PairRecordStore(join(lockdownDir(home), HOSTS_DIR));
}
