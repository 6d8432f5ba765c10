import { parseArgs } from "node:util";
import { UsageError } from "../../core/errors.js";
import { pairDevice } from "../../device/pairing/pair.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";

export const pairCommand: Command = {
  usage: "cradle pair [UDID] [--json]",
  summary: "make this computer one the device trusts (as idevicepair pair does)",
  help: `Pairs with the device UDID (may be omitted when one device is attached): Cradle makes a root
and host certificate, issues the device's certificate, and the device answers with its escrow
bag. The record is kept at mode 0600 under $CRADLE_HOME/state/pair-records (else
$XDG_STATE_HOME/cradle/pair-records) and handed to usbmuxd, so libimobiledevice's tools share it.
A real device asks "Trust This Computer?": unlock it, tap Trust, and run the command again.

--json prints {udid, name, hostId, recordPath}. The record itself is never printed.

${EXIT_STATUS}`,
  async run(args, out) {
    const { positionals } = asUsage(() =>
      parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" } } }),
    );
    if (positionals.length > 1) throw new UsageError("pair takes at most one UDID.");
    const result = await pairDevice({ udid: positionals[0] });
    out.data(
      result,
      () => `Paired with "${result.name}" (${result.udid}); record kept in ${result.recordPath}`,
    );
    return 0;
  },
};
