/**
 * `cradle device info`: what an iOS home tree (a virtual iPhone, an unpacked backup, a file-system
 * extraction) holds: its identity, how many records each domain has, and which domains iCloud
 * syncs, decided by the same guard that refuses cable sync.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import type { Domain } from "../../core/endpoint.js";
import { type CloudDataclasses, readCloudDataclasses } from "../../guard/accounts.js";
import { verdictFor } from "../../guard/guard.js";
import { DEVICE_DOMAINS, DeviceError } from "./create.js";
import { readLockdownValues } from "./identity.js";
import { type DeviceStore, devicePath } from "./layout.js";

export interface DeviceInfo {
  dir: string;
  /** Identity fields are null when the tree has no lockdown values (not a virtual iPhone). */
  udid: string | null;
  name: string | null;
  productType: string | null;
  productVersion: string | null;
  buildVersion: string | null;
  serialNumber: string | null;
  /** Records per domain; null when the domain's store is absent. */
  counts: Record<Domain, number | null>;
  /** User albums in Photos.sqlite (not in Recently Deleted); null without it. */
  albums: number | null;
  /** True when iCloud syncs the domain, so cable sync is refused. */
  icloud: Record<Domain, boolean>;
  /** The iCloud account's Apple ID; null when none is signed in or Accounts3.sqlite is absent. */
  icloudAccount: string | null;
  /** Over-the-air accounts other than iCloud that sync a domain (they do not block cable sync). */
  otherSyncers: { description: string; dataclasses: string[] }[];
}

/**
 * Which store holds each domain's records, which table counts them (first present wins), and
 * which rows count: events, not reminders nor the detached occurrences of a series.
 */
const COUNTED: Record<Domain, { store: DeviceStore; tables: string[]; where?: string }> = {
  contacts: { store: "addressBook", tables: ["ABPerson"] },
  calendars: {
    store: "calendar",
    tables: ["CalendarItem"],
    where: "entity_type = 2 AND NOT (orig_item_id > 0)",
  },
  photos: { store: "photos", tables: ["ZASSET", "ZGENERICASSET"] },
};

/** Accepts DIR or ios:DIR. */
export function deviceInfo(location: string): DeviceInfo {
  const dir = resolve(location.startsWith("ios:") ? location.slice(4) : location);
  if (!existsSync(dir))
    throw new DeviceError(
      `${dir} does not exist. Name a device folder, e.g. one made by "cradle device create".`,
      {
        dir,
      },
    );
  const identity = readLockdownValues(devicePath(dir, "lockdownValues")) ?? {};
  const accounts = devicePath(dir, "accounts");
  const cloud: CloudDataclasses = existsSync(accounts)
    ? readCloudDataclasses(accounts)
    : { account: undefined, enabled: new Set(), otherSyncers: [] };
  const label = identity.DeviceName ?? dir;
  const per = <T>(f: (d: Domain) => T) =>
    Object.fromEntries(DEVICE_DOMAINS.map((d) => [d, f(d)])) as Record<Domain, T>;
  return {
    dir,
    udid: identity.UniqueDeviceID ?? null,
    name: identity.DeviceName ?? null,
    productType: identity.ProductType ?? null,
    productVersion: identity.ProductVersion ?? null,
    buildVersion: identity.BuildVersion ?? null,
    serialNumber: identity.SerialNumber ?? null,
    counts: per((d) => countRecords(devicePath(dir, COUNTED[d].store), COUNTED[d].tables, COUNTED[d].where)),
    albums: countRecords(
      devicePath(dir, "photos"),
      ["ZGENERICALBUM"],
      "ZKIND = 2 AND COALESCE(ZTRASHEDSTATE, 0) = 0",
    ),
    icloud: per((d) => !verdictFor(cloud, d, label).enabled),
    icloudAccount: cloud.account ?? null,
    otherSyncers: cloud.otherSyncers.map((s) => ({ description: s.description, dataclasses: s.dataclasses })),
  };
}

/** Rows in the first of `tables` the store has; null without the store or any of them. */
function countRecords(path: string, tables: string[], where?: string): number | null {
  if (!existsSync(path)) return null;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const present = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (r) => r.name,
      ),
    );
    const table = tables.find((t) => present.has(t));
    if (!table) return null;
    return db
      .prepare(`SELECT count(*) FROM "${table}"${where ? ` WHERE ${where}` : ""}`)
      .pluck()
      .get() as number;
  } finally {
    db.close();
  }
}
