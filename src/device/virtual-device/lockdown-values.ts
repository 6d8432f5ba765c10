/**
 * What the virtual iPhone's lockdownd answers GetValue with, per domain. The identity comes from
 * the device's values plist (DEVICE_PATHS.lockdownValues), the iCloud state from its
 * Accounts3.sqlite through the guard's reader, so the lockdown view and the folder view agree.
 * Each domain says whether its keys are DOCUMENTED (read in libimobiledevice's code or shown by
 * its maintainers) or INFERRED.
 */
import { existsSync } from "node:fs";
import { writeFileAtomic } from "../../adapters/shared/atomic-write.js";
import type { Domain } from "../../core/endpoint.js";
import { type CloudDataclasses, DOMAIN_DATACLASS, readCloudDataclasses } from "../../guard/accounts.js";
import {
  DATA_SYNC_DOMAIN,
  ICLOUD_SOURCE,
  LOCKDOWN_DATA_CLASS,
  TETHERED_SYNC_DOMAIN,
} from "../lockdown/icloud.js";
import type { PlistValue } from "../plist/index.js";
import { DeviceError } from "../virtual/create.js";
import { type DeviceIdentity, lockdownPlist, readLockdownValues } from "../virtual/identity.js";
import { devicePath } from "../virtual/layout.js";

type Dict = Record<string, PlistValue>;

/** The default domain is keyed "". */
export type LockdownDomains = Record<string, Dict>;

export function virtualLockdownDomains(home: string, devicePublicKey: Buffer): LockdownDomains {
  const identity = readLockdownValues(devicePath(home, "lockdownValues"));
  if (!identity?.UniqueDeviceID)
    throw new DeviceError(
      `${home} has no lockdown values (${devicePath(home, "lockdownValues")}), so it cannot be served. Make a device with "cradle device create".`,
      { dir: home },
    );
  const accounts = devicePath(home, "accounts");
  const cloud: CloudDataclasses = existsSync(accounts)
    ? readCloudDataclasses(accounts)
    : { account: undefined, enabled: new Set(), otherSyncers: [] };
  const icloudSyncs = (domain: Domain) => cloud.enabled.has(DOMAIN_DATACLASS[domain]);
  const perClass = (value: (domain: Domain) => Dict): Dict =>
    Object.fromEntries(
      (Object.entries(LOCKDOWN_DATA_CLASS) as [Domain, string][]).map(([domain, key]) => [
        key,
        value(domain),
      ]),
    );
  return {
    "": {
      ...(identity as Dict),
      // DOCUMENTED: idevicepair reads DevicePublicKey (PEM, PKCS#1) to issue the device certificate.
      DevicePublicKey: devicePublicKey,
      // INFERRED from ideviceinfo output posted in libimobiledevice issues.
      ActivationState: "Activated",
      PasswordProtected: false,
      TrustedHostAttached: true,
      HostAttached: true,
    },
    // INFERRED shape (see src/device/lockdown/icloud.ts): iCloud listed as a source while it syncs.
    [DATA_SYNC_DOMAIN]: perClass((domain) => {
      const sources = icloudSyncs(domain) ? [ICLOUD_SOURCE] : [];
      return { AccountNames: sources, Sources: sources };
    }),
    // DOCUMENTED: DisableTethered true blocks cable sync of that class.
    [TETHERED_SYNC_DOMAIN]: perClass((domain) => ({ DisableTethered: icloudSyncs(domain) })),
    // DOCUMENTED: idevicebackup2 1.3.0 reads WillEncrypt before a backup.
    "com.apple.mobile.backup": { WillEncrypt: false },
    // DOCUMENTED keys idevicebackup2 reads for Info.plist; empty because the virtual device has no iTunes data.
    "com.apple.iTunes": {},
  };
}

/** GetValue: a whole domain without a key; undefined when the domain or key is unknown. */
export function lookupValue(
  domains: LockdownDomains,
  domain: string | undefined,
  key: string | undefined,
): PlistValue | undefined {
  const values = domains[domain ?? ""];
  if (!values) return undefined;
  return key === undefined ? values : values[key];
}

/** The values SetValue may change: the device's name, as on a phone (Settings > General > About). */
const SETTABLE = new Set(["DeviceName"]);

/** SetValue: rewrites the values plist atomically; false for anything a phone would refuse. */
export async function setVirtualValue(
  home: string,
  domain: string | undefined,
  key: string,
  value: PlistValue,
): Promise<boolean> {
  if (domain !== undefined || !SETTABLE.has(key) || typeof value !== "string" || value.trim() === "")
    return false;
  const path = devicePath(home, "lockdownValues");
  const identity = readLockdownValues(path) as DeviceIdentity;
  await writeFileAtomic(path, lockdownPlist({ ...identity, [key]: value }));
  return true;
}
