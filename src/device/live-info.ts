/**
 * `cradle device info device:UDID`: a live device's identity and which domains iCloud syncs,
 * read over a lockdown session (see lockdown/icloud.ts for what is documented and what inferred).
 */
import type { Domain } from "../core/endpoint.js";
import { DOMAIN_DATACLASS } from "../guard/accounts.js";
import { readLiveCloudState } from "./lockdown/icloud.js";
import { type DeviceOptions, DeviceSession } from "./lockdown/session.js";

export interface LiveDeviceInfo {
  udid: string;
  name: string | null;
  productType: string | null;
  productVersion: string | null;
  buildVersion: string | null;
  serialNumber: string | null;
  /** True when iCloud syncs the domain (cable sync refused); null when the device does not say. */
  icloud: Record<Domain, boolean | null>;
}

export async function liveDeviceInfo(options: DeviceOptions): Promise<LiveDeviceInfo> {
  const session = await DeviceSession.open(options);
  try {
    const values = ((await session.lockdown.getValue()) ?? {}) as Record<string, unknown>;
    const cloud = await readLiveCloudState(session.lockdown);
    const text = (key: string) => (typeof values[key] === "string" ? (values[key] as string) : null);
    const icloud = Object.fromEntries(
      (Object.keys(DOMAIN_DATACLASS) as Domain[]).map((d) => [
        d,
        cloud.unknown.includes(d) ? null : cloud.enabled.has(DOMAIN_DATACLASS[d]),
      ]),
    ) as Record<Domain, boolean | null>;
    return {
      udid: session.device.udid,
      name: text("DeviceName"),
      productType: text("ProductType"),
      productVersion: text("ProductVersion"),
      buildVersion: text("BuildVersion"),
      serialNumber: text("SerialNumber"),
      icloud,
    };
  } finally {
    await session.close();
  }
}
