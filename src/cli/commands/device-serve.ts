import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../../core/errors.js";
import { formatUsbmuxAddress, parseUsbmuxAddress, type UsbmuxAddress } from "../../device/usbmux/address.js";
import { serveVirtualDevice } from "../../device/virtual-device/serve.js";
import { runDir } from "../../state/paths.js";
import { asUsage } from "../args.js";
import type { Output } from "../output.js";

/** `cradle device serve DIR [--socket ADDR]`: serves until SIGINT or SIGTERM, then exits 0. */
export async function serve(args: string[], out: Output): Promise<number> {
  const { values, positionals } = asUsage(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: { socket: { type: "string" }, json: { type: "boolean" } },
    }),
  );
  const [dir, ...extra] = positionals;
  if (!dir || extra.length > 0) throw new UsageError("device serve takes exactly one DIR.");
  const address = socketAddress(values.socket);
  const served = await serveVirtualDevice({
    home: resolve(dir.startsWith("ios:") ? dir.slice(4) : dir),
    address,
    onError: (error) => process.stderr.write(`cradle device serve: a connection failed: ${error.message}\n`),
  });
  const exported = `USBMUXD_SOCKET_ADDRESS=${formatUsbmuxAddress(served.address)}`;
  out.data(
    {
      type: "serving",
      udid: served.udid,
      name: served.name,
      address: formatUsbmuxAddress(served.address),
      export: exported,
    },
    () =>
      [
        `Serving "${served.name}" (${served.udid}). Point libimobiledevice's tools and Cradle at it with:`,
        `export ${exported}`,
      ].join("\n"),
  );
  await new Promise<void>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  await served.close();
  if (served.address.kind === "unix") rmSync(served.address.path, { force: true });
  return 0;
}

function socketAddress(option: string | undefined): UsbmuxAddress {
  if (option === undefined) {
    const dir = runDir();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return { kind: "unix", path: join(dir, "usbmuxd.sock") };
  }
  const address = parseUsbmuxAddress(option);
  if (!address)
    throw new UsageError(
      `--socket takes UNIX:/path or host:port, as USBMUXD_SOCKET_ADDRESS does, not "${option}".`,
      { socket: option },
    );
  return address;
}
