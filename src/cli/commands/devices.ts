import { parseArgs } from "node:util";
import { type DevicesReport, listAttachedDevices } from "../../device/devices.js";
import { describeUsbProbe } from "../../device/usb-probe.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";

export const devicesCommand: Command = {
  usage: "cradle devices [--json]",
  summary: "list the iPhones and iPads usbmuxd sees, and whether each is paired",
  help: `Asks usbmuxd (/var/run/usbmuxd, or USBMUXD_SOCKET_ADDRESS as libimobiledevice reads it:
UNIX:/path or host:port) for attached devices, and each device's name and iOS version.
"paired" means this computer holds a pair record for it (Cradle's, or usbmuxd's).
It also looks at the USB bus for an Apple device with a usbmux interface, so that "usbmuxd is
not running" and "nothing plugged in" read differently; where there is no USB bus (containers)
it says so.

--json prints an array of {udid, name, productVersion, paired, connectionType}; notes about
usbmuxd and USB go to stderr.

${EXIT_STATUS}`,
  async run(args, out) {
    asUsage(() => parseArgs({ args, options: { json: { type: "boolean" } } }));
    const report = await listAttachedDevices();
    for (const note of notes(report)) process.stderr.write(`${note}\n`);
    out.data(report.devices, () => describe(report));
    return 0;
  },
};

function notes(report: DevicesReport): string[] {
  if (report.usbmuxdProblem === undefined && report.devices.length > 0) return [];
  return [...(report.usbmuxdProblem ? [report.usbmuxdProblem] : []), describeUsbProbe(report.usb)];
}

function describe(report: DevicesReport): string {
  if (report.devices.length === 0) return "No devices.";
  return report.devices
    .map(
      (d) =>
        `${d.udid}  ${d.name ?? "(name unknown)"}  iOS ${d.productVersion ?? "?"}  ${d.paired ? "paired" : 'not paired (run "cradle pair")'}`,
    )
    .join("\n");
}
