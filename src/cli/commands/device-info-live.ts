import type { Domain } from "../../core/endpoint.js";
import type { LiveDeviceInfo } from "../../device/live-info.js";

export { liveDeviceInfo } from "../../device/live-info.js";

export function describeLiveInfo(d: LiveDeviceInfo): string {
  const state = (on: boolean | null) =>
    on === null ? "unknown (the device does not say)" : on ? "on" : "off";
  return [
    `"${d.name ?? d.udid}" (live, over usbmuxd)`,
    `  UDID ${d.udid}, ${d.productType ?? "?"}, iOS ${d.productVersion ?? "?"} (${d.buildVersion ?? "?"}), serial ${d.serialNumber ?? "?"}`,
    ...(Object.keys(d.icloud) as Domain[]).map(
      (domain) => `  ${domain.padEnd(10)} iCloud ${state(d.icloud[domain])}`,
    ),
  ].join("\n");
}
