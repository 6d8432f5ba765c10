import { parseArgs } from "node:util";
import type { Domain } from "../../core/endpoint.js";
import { UsageError } from "../../core/errors.js";
import {
  type CreatedDevice,
  createVirtualDevice,
  DEFAULT_EVENTS,
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
    "cradle device create DIR [--name NAME] [--sample N] [--events N] [--icloud contacts,calendars,photos] [--seed S] [--json]\n" +
    "       cradle device info DIR|device:UDID [--json]\n" +
    "       cradle device serve DIR [--socket ADDR] [--json]\n" +
    "       cradle device backup DIR [--udid UDID] [--full] [--json]\n" +
    "       cradle device restore DIR [--udid UDID] [--source UDID] [--system] [--json]",
  summary: "make a virtual iPhone to sync with, or show what a device folder holds",
  help: `create writes a virtual iPhone into DIR (new or empty): an iOS home tree laid out like
/var/mobile, which "cradle sync contacts ios:DIR ..." syncs with. The same --seed (default
"${DEFAULT_SEED}") always gives the same device: identity, contacts, ids and timestamps.
  ${DEVICE_PATHS.addressBook.padEnd(42)}--sample N contacts (default ${DEFAULT_SAMPLE})
  ${DEVICE_PATHS.calendar.padEnd(42)}--events N events (default ${DEFAULT_EVENTS}): series with exceptions, all-day,
  ${"".padEnd(42)}floating, alarms, locations, Europe/Berlin and New York
  ${DEVICE_PATHS.accounts.padEnd(42)}an iCloud account; --icloud turns its Contacts,
  ${"".padEnd(42)}Calendars or Photos on, and cable sync of those is refused
  ${DEVICE_PATHS.lockdownValues.padEnd(42)}UDID, name (--name, default "Cradle iPhone"), iPhone15,2, iOS 18.1
  ${DEVICE_PATHS.photos.padEnd(42)}12 photos (Media/DCIM/100APPLE) in 3 albums, 2 folders
  ${DEVICE_PATHS.messages.padEnd(42)}8 messages in 3 chats, for "cradle extract ... messages"

info shows a device folder's identity, the records per domain and which domains iCloud syncs.
DIR may also be written ios:DIR. With device:UDID it asks a paired device over usbmuxd instead.

serve serves the virtual iPhone in DIR as a usbmuxd socket (lockdownd with pairing and TLS), at
ADDR (UNIX:/path or host:port, the syntax of USBMUXD_SOCKET_ADDRESS; default
$CRADLE_HOME/run/usbmuxd.sock), until interrupted. It prints the USBMUXD_SOCKET_ADDRESS=... line
that points libimobiledevice's tools (idevice_id, ideviceinfo, idevicepair) and Cradle at it.

backup asks a paired device (--udid, or the only one attached) for a backup over mobilebackup2,
as idevicebackup2 does, into DIR/<UDID> (Finder's layout). Nothing in DIR/<UDID> changes until
the device says it finished: a failed or interrupted backup leaves the last one as it was.
--full asks for everything even when DIR holds an earlier backup. --json prints
{udid, folder, filesReceived, bytesReceived}. restore sends the backup in DIR/<UDID> (or that of
--source UDID) back to the device; --system restores system files too.

${EXIT_STATUS}`,
  async run(args, out) {
    const [action, ...rest] = args;
    if (action === "create") return create(rest, out);
    if (action === "info") return info(rest, out);
    if (action === "serve") return (await import("./device-serve.js")).serve(rest, out);
    if (action === "backup") return (await import("./device-backup.js")).backup(rest, out);
    if (action === "restore") return (await import("./device-backup.js")).restore(rest, out);
    throw new UsageError(
      `device takes "create", "info", "serve", "backup" or "restore", not ${action ? `"${action}"` : "nothing"}.`,
    );
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
        events: { type: "string" },
        icloud: { type: "string" },
        seed: { type: "string" },
        json: { type: "boolean" },
      },
    }),
  );
  const dir = onePositional(positionals, "create");
  const count = (flag: "sample" | "events") => {
    const text = values[flag];
    if (text !== undefined && !/^\d+$/.test(text))
      throw new UsageError(`--${flag} takes a whole number, not "${text}".`);
    return text === undefined ? undefined : Number(text);
  };
  const device = createVirtualDevice(dir, {
    name: values.name,
    sample: count("sample"),
    events: count("events"),
    icloud: parseIcloudDomains(values.icloud ?? ""),
    seed: values.seed,
  });
  out.data(device, () => describeCreated(device));
  return 0;
}

async function info(args: string[], out: Output): Promise<number> {
  const { positionals } = asUsage(() =>
    parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" } } }),
  );
  const location = onePositional(positionals, "info");
  if (location.startsWith("device:")) {
    const { liveDeviceInfo, describeLiveInfo } = await import("./device-info-live.js");
    const live = await liveDeviceInfo({ udid: location.slice("device:".length) });
    out.data(live, () => describeLiveInfo(live));
    return 0;
  }
  const device = deviceInfo(location);
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
    `  ${d.events} events in ${DEVICE_PATHS.calendar}`,
    `  ${d.photos} photos in ${d.albums} albums in ${DEVICE_PATHS.photos}`,
    `  ${d.messages} messages in ${DEVICE_PATHS.messages}`,
    `  iCloud syncs: ${syncedBy(d.icloud)}`,
    `Sync it with: cradle sync contacts|calendars ios:${d.dir} vdir:DIR`,
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
