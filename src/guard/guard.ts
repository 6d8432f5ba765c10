/**
 * The iCloud guard: cable sync must not write a domain that iCloud already syncs on the device,
 * because two sync protocols would fight over one store. No flag overrides it.
 *
 * Only iCloud disables a domain; another over-the-air account (Google over CardDAV/CalDAV,
 * Exchange) does not. Why:
 * - Turning iCloud Contacts/Calendars on merges the device's own data into the iCloud container, which
 *   iCloud then owns: a cable write there would be pushed to, or overwritten by, iCloud.
 * - Google's data lives in its own container (its own ABStore / calendar store, observed in the josh
 *   AddressBook fixture), next to the local one, and the iPhone keeps both. Cable sync can write the
 *   local store without touching what Google syncs.
 * - The JSON status has a single reason, "icloud".
 * Such accounts are still reported by readCloudDataclasses().otherSyncers, so an endpoint can keep
 * its writes out of their containers and `device info` can show them.
 */
import type { Domain, GuardVerdict } from "../core/endpoint.js";
import { type CloudDataclasses, DOMAIN_DATACLASS, readCloudDataclasses } from "./accounts.js";

/** What `--json` reports per domain. */
export interface GuardStatus {
  domain: Domain;
  status: "disabled" | "enabled";
  reason?: "icloud";
}

/** The name of each domain's switch in Settings > [your name] > iCloud. */
const SETTINGS_NAME: Record<Domain, string> = {
  contacts: "Contacts",
  calendars: "Calendars",
  photos: "Photos",
};

/** Reads Accounts3.sqlite and decides for one domain; throws AccountsDbError if it cannot be read. */
export function cloudGuard(accountsDbPath: string, domain: Domain, deviceName: string): GuardVerdict {
  return verdictFor(readCloudDataclasses(accountsDbPath), domain, deviceName);
}

/** The decision itself, for callers that read the database once for several domains. */
export function verdictFor(cloud: CloudDataclasses, domain: Domain, deviceName: string): GuardVerdict {
  if (!cloud.enabled.has(DOMAIN_DATACLASS[domain])) return { enabled: true };
  const setting = SETTINGS_NAME[domain];
  return {
    enabled: false,
    cause: "icloud",
    reason:
      `iCloud syncs ${domain} on "${deviceName}", so Cradle will not sync ${domain} there: two sync ` +
      `protocols must not fight over one store. To sync ${domain} by cable, turn iCloud ${setting} off ` +
      `on the device (Settings > [your name] > iCloud > ${setting}) and run the sync again.`,
  };
}

export function guardStatus(domain: Domain, verdict: GuardVerdict): GuardStatus {
  return verdict.enabled
    ? { domain, status: "enabled" }
    : { domain, status: "disabled", reason: verdict.cause ?? "icloud" };
}
