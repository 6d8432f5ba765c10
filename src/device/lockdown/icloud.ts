/**
 * iCloud's hold on a live device's domains, read from lockdown, so the guard can refuse cable
 * sync on a device as it does on a device folder (src/guard). Two lockdown domains speak of it:
 *
 * - com.apple.mobile.data_sync: per data class, the accounts that sync it over the air. The shape
 *   {AccountNames: ["iCloud"], Sources: ["iCloud"]} is INFERRED from one user's post
 *   (storoj/libimobiledevice-win32 issue #18, 2014); no source code documents this domain.
 * - com.apple.mobile.tethered_sync: per data class, DisableTethered true blocks cable sync
 *   (DOCUMENTED by a libimobiledevice contributor, issues #864, #1443, #1194).
 *
 * Photos has no key in either domain that any public source names, so it stays unknown.
 */
import type { Domain } from "../../core/endpoint.js";
import { type CloudDataclasses, DOMAIN_DATACLASS } from "../../guard/accounts.js";
import type { LockdownClient } from "./client.js";

export const DATA_SYNC_DOMAIN = "com.apple.mobile.data_sync";
export const TETHERED_SYNC_DOMAIN = "com.apple.mobile.tethered_sync";
export const ICLOUD_SOURCE = "iCloud";

/** The key of each Cradle domain inside those two lockdown domains (mobilesync's class names end so). */
export const LOCKDOWN_DATA_CLASS: Partial<Record<Domain, string>> = {
  contacts: "Contacts",
  calendars: "Calendars",
};

export interface LiveCloudState extends CloudDataclasses {
  /** Domains the device says nothing about. */
  unknown: Domain[];
}

export async function readLiveCloudState(lockdown: LockdownClient): Promise<LiveCloudState> {
  const enabled = new Set<string>();
  const unknown: Domain[] = [];
  for (const domain of Object.keys(DOMAIN_DATACLASS) as Domain[]) {
    const key = LOCKDOWN_DATA_CLASS[domain];
    const entry = key ? await lockdown.getValue(DATA_SYNC_DOMAIN, key) : undefined;
    if (entry === undefined || typeof entry !== "object" || entry === null) {
      unknown.push(domain);
      continue;
    }
    const sources = (entry as { Sources?: unknown }).Sources;
    if (Array.isArray(sources) && sources.includes(ICLOUD_SOURCE)) enabled.add(DOMAIN_DATACLASS[domain]);
  }
  return { account: undefined, enabled, otherSyncers: [], unknown };
}
