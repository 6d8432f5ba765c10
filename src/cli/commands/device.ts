import { parseArgs } from "node:util";
import type { Domain } from "../../core/endpoint.js";
import { UsageError } from "../../core/errors.js";
import {
  type CreatedDevice,
  createVirtualDevice,
  DEFAULT_SAMPLE,
  DEFAULT_SEED,
  parseIcloudDomains,
} from "../../device/virtual/create.js";
import { type DeviceInfo, deviceInfo } from "../../device/virtual/info.js";
import { DEVICE_PATHS } from "../../device/virtual/layout.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";
import type { Output } from "../output.js";

export const deviceCommand: Command = {
  usage:
    "cradle device create DIR [--name NAME] [--sample N] [--icloud contacts,calendars,photos] [--seed S] [--json]\n" +
    "       cradle device info DIR [--json]",
  summary: "make a virtual iPhone to sync with, or show what a device folder holds",
  help: `create writes a virtual iPhone into DIR (new or empty): an iOS home tree laid out like
/var/mobile, which "cradle sync contacts ios:DIR ..." syncs with. The same --seed (default
"${DEFAULT_SEED}") always gives the same device: identity, contacts, ids and timestamps.
  ${DEVICE_PATHS.addressBook.padEnd(42)}--sample N contacts (default ${DEFAULT_SAMPLE})
  ${DEVICE_PATHS.accounts.padEnd(42)}an iCloud account; --icloud turns its Contacts,
  ${"".padEnd(42)}Calendars or Photos on, and cable sync of those is refused
  ${DEVICE_PATHS.lockdownValues.padEnd(42)}UDID, name (--name, default "Cradle iPhone"), iPhone15,2, iOS 18.1
  ${DEVICE_PATHS.photos.padEnd(42)}12 photos (Media/DCIM/100APPLE) in 3 albums, 2 folders
Not created yet: ${DEVICE_PATHS.calendar} (calendar sample data).

info shows a device folder's identity, the records per domain and which domains iCloud syncs.
DIR may also be written ios:DIR.

${EXIT_STATUS}`,
  async run(args, out) {
    const [action, ...rest] = args;
    if (action === "create") return create(rest, out);
    if (action === "info") return info(rest, out);
    throw new UsageError(`device takes "create" or "info", not ${action ? `"${action}"` : "nothing"}.`);
  },
};

function create(args: string[], out: Output): number {
  const { values, positionals } = asUsage(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        name: { type: "string" },
        sample: { type: "string" },
        icloud: { type: "string" },
        seed: { type: "string" },
        json: { type: "boolean" },
      },
    }),
  );
  const dir = onePositional(positionals, "create");
  const sample = values.sample === undefined ? undefined : Number(values.sample);
  if (values.sample !== undefined && !/^\d+$/.test(values.sample))
    throw new UsageError(`--sample takes a whole number, not "${values.sample}".`);
  const device = createVirtualDevice(dir, {
    name: values.name,
    sample,
    icloud: parseIcloudDomains(values.icloud ?? ""),
    seed: values.seed,
  });
  out.data(device, () => describeCreated(device));
  return 0;
}

function info(args: string[], out: Output): number {
  const { positionals } = asUsage(() =>
    parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" } } }),
  );
  const device = deviceInfo(onePositional(positionals, "info"));
  out.data(device, () => describeInfo(device));
  return 0;
}

function onePositional(positionals: string[], action: string): string {
  const [dir, ...extra] = positionals;
  if (!dir || extra.length > 0) throw new UsageError(`device ${action} takes exactly one DIR.`);
  return dir;
}

const syncedBy = (icloud: Record<Domain, boolean>) => {
  const on = (Object.keys(icloud) as Domain[]).filter((d) => icloud[d]);
  return on.length === 0
    ? "none (cable sync allowed for every domain)"
    : `${on.join(", ")} (cable sync refused)`;
};

function describeCreated(d: CreatedDevice): string {
  return [
    `Created "${d.name}" in ${d.dir}`,
    `  UDID ${d.udid}, ${d.productType}, iOS ${d.productVersion} (${d.buildVersion}), seed "${d.seed}"`,
    `  ${d.contacts} contacts in ${DEVICE_PATHS.addressBook}`,
    `  ${d.photos} photos in ${d.albums} albums in ${DEVICE_PATHS.photos}`,
    `  iCloud syncs: ${syncedBy(d.icloud)}`,
    ...d.notCreated.map((n) => `  not created yet: ${n.path} (${n.reason})`),
    `Sync it with: cradle sync contacts ios:${d.dir} vdir:DIR`,
  ].join("\n");
}

function describeInfo(d: DeviceInfo): string {
  const count = (n: number | null) => (n === null ? "no store" : String(n));
  return [
    d.name === null
      ? `${d.dir} (no lockdown values: identity unknown)`
      : `"${d.name}" in ${d.dir}\n  UDID ${d.udid}, ${d.productType}, iOS ${d.productVersion} (${d.buildVersion}), serial ${d.serialNumber}`,
    ...(Object.keys(d.counts) as Domain[]).map(
      (domain) =>
        `  ${domain.padEnd(10)} ${count(d.counts[domain]).padEnd(9)} iCloud ${d.icloud[domain] ? "on" : "off"}`,
    ),
    ...(d.albums === null ? [] : [`  albums     ${d.albums}`]),
    `  iCloud account: ${d.icloudAccount ?? "none"}`,
    ...d.otherSyncers.map(
      (s) => `  also synced over the air by ${s.description}: ${s.dataclasses.join(", ")}`,
    ),
  ].join("\n");
}
