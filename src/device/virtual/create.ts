/**
 * `cradle device create`: writes a virtual iPhone, an iOS home tree laid out like /var/mobile
 * that the ios:DIR endpoint syncs with. One seed always gives the same device: identity, contacts,
 * guids and timestamps all come from it, never from the clock or crypto.randomUUID.
 *
 * Written: AddressBook.sqlitedb (sample contacts), Calendar.sqlitedb (sample events),
 * Accounts3.sqlite (the iCloud switches), the lockdown values, and Photos.sqlite with its JPEGs in
 * Media/DCIM.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Domain } from "../../core/endpoint.js";
import { CradleError, UsageError } from "../../core/errors.js";
import { writeAccounts3 } from "./accounts3.js";
import { writeAddressBook } from "./addressbook.js";
import { writeCalendarDb } from "./calendar.js";
import { DEFAULT_DEVICE_NAME, deviceIdentity, lockdownPlist } from "./identity.js";
import { DEVICE_PATHS, type DeviceStore, devicePath } from "./layout.js";
import { writeVirtualPhotos } from "./photos.js";
import { seededRandom } from "./random.js";
import { sampleContacts } from "./sample-contacts.js";
import { sampleEvents } from "./sample-events.js";
import { writeSampleMessages } from "./sms-db.js";

export const DEVICE_DOMAINS: readonly Domain[] = ["contacts", "calendars", "photos"];
export const DEFAULT_SAMPLE = 20;
export const DEFAULT_EVENTS = 18;
export const DEFAULT_SEED = "cradle";
/** Upper bound for --sample: enough for the 10,000-contact benchmark, small enough to finish. */
const MAX_SAMPLE = 100_000;
/** The device's history starts here (Core Data times are taken from it, not from the clock). */
const DEVICE_EPOCH = new Date("2024-11-04T09:00:00Z");
/** Photos in Media/DCIM/100APPLE and albums in Photos.sqlite (two of them nested in folders). */
const SAMPLE_PHOTOS = { photos: 12, albums: 3 };

export interface CreateDeviceOptions {
  name?: string;
  /** How many sample contacts (default 20). */
  sample?: number;
  /** How many sample events (default 18). */
  events?: number;
  /** Domains iCloud syncs on the device; cable sync of them will be refused. */
  icloud?: readonly Domain[];
  seed?: string;
}

export interface CreatedDevice {
  dir: string;
  udid: string;
  name: string;
  productType: string;
  productVersion: string;
  buildVersion: string;
  seed: string;
  contacts: number;
  events: number;
  photos: number;
  albums: number;
  /** Messages in Library/SMS/sms.db (not a sync domain: `cradle extract` reads them). */
  messages: number;
  icloud: Record<Domain, boolean>;
  /** Paths written, relative to dir. */
  files: string[];
}

export class DeviceError extends CradleError {}

/** Checks --icloud's words; "" means none. */
export function parseIcloudDomains(text: string): Domain[] {
  const words = text
    .split(",")
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
  const unknown = words.filter((w) => !(DEVICE_DOMAINS as string[]).includes(w));
  if (unknown.length > 0)
    throw new UsageError(
      `--icloud takes a comma-separated list of ${DEVICE_DOMAINS.join(", ")}; "${unknown.join(", ")}" is not one of them.`,
      { icloud: text },
    );
  return DEVICE_DOMAINS.filter((d) => words.includes(d));
}

export function createVirtualDevice(dirArg: string, options: CreateDeviceOptions = {}): CreatedDevice {
  const dir = resolve(dirArg);
  const sample = options.sample ?? DEFAULT_SAMPLE;
  if (!Number.isInteger(sample) || sample < 0 || sample > MAX_SAMPLE)
    throw new UsageError(`--sample takes a whole number from 0 to ${MAX_SAMPLE}, not ${sample}.`, { sample });
  const eventCount = options.events ?? DEFAULT_EVENTS;
  if (!Number.isInteger(eventCount) || eventCount < 0 || eventCount > MAX_SAMPLE)
    throw new UsageError(`events takes a whole number from 0 to ${MAX_SAMPLE}, not ${eventCount}.`, {
      eventCount,
    });
  const name = options.name ?? DEFAULT_DEVICE_NAME;
  if (name.trim() === "") throw new UsageError("--name must not be empty.");
  const seed = options.seed ?? DEFAULT_SEED;
  const icloud = options.icloud ?? [];

  const existed = existsSync(dir);
  if (existed && readdirSync(dir).length > 0)
    throw new DeviceError(
      `${dir} is not empty. A virtual iPhone is written into a new or empty folder; choose another one or remove this one.`,
      { dir },
    );

  const identity = deviceIdentity(seed, name, seededRandom(seed, "identity"));
  const contacts = sampleContacts(seededRandom(seed, "contacts"), sample);
  const events = sampleEvents(seededRandom(seed, "events"), eventCount);
  const stores: DeviceStore[] = [
    "lockdownValues",
    "addressBook",
    "calendar",
    "accounts",
    "photos",
    "messages",
  ];
  let photos = { photos: 0, albums: 0 };
  let messages = 0;
  try {
    for (const store of stores) mkdirSync(dirname(devicePath(dir, store)), { recursive: true });
    writeFileSync(devicePath(dir, "lockdownValues"), lockdownPlist(identity));
    writeAddressBook(devicePath(dir, "addressBook"), {
      contacts,
      random: seededRandom(seed, "addressbook guids"),
      createdAt: DEVICE_EPOCH,
    });
    writeCalendarDb(devicePath(dir, "calendar"), {
      events,
      random: seededRandom(seed, "calendar uuids"),
      createdAt: DEVICE_EPOCH,
    });
    writeAccounts3(devicePath(dir, "accounts"), {
      icloud,
      appleId: appleIdFor(name, identity.UniqueDeviceID),
      createdAt: DEVICE_EPOCH,
      random: seededRandom(seed, "accounts"),
    });
    photos = writeVirtualPhotos(dir, {
      ...SAMPLE_PHOTOS,
      random: seededRandom(seed, "photos"),
      createdAt: DEVICE_EPOCH,
    });
    messages = writeSampleMessages(devicePath(dir, "messages"), DEVICE_EPOCH);
  } catch (error) {
    // Leave no half-made device behind.
    if (existed)
      for (const entry of readdirSync(dir)) rmSync(resolve(dir, entry), { recursive: true, force: true });
    else rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    dir,
    udid: identity.UniqueDeviceID,
    name,
    productType: identity.ProductType,
    productVersion: identity.ProductVersion,
    buildVersion: identity.BuildVersion,
    seed,
    contacts: contacts.length,
    events: events.length,
    ...photos,
    messages,
    icloud: Object.fromEntries(DEVICE_DOMAINS.map((d) => [d, icloud.includes(d)])) as Record<Domain, boolean>,
    files: stores.map((s) => DEVICE_PATHS[s]),
  };
}

/** A made-up Apple ID on the reserved .example domain, stable per device. */
function appleIdFor(name: string, udid: string): string {
  const local =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ".")
      .replace(/^\.|\.$/g, "") || "iphone";
  return `${local}.${udid.slice(0, 6)}@icloud.example`;
}
