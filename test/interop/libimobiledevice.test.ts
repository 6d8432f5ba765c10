import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect } from "vitest";
import { type ServedFixture, serveFixture } from "../device/serve-helpers.js";
import { withPeer } from "./peer.js";

const run = promisify(execFile);
let fixture: ServedFixture | undefined;

afterEach(async () => {
  await fixture?.served.close();
  fixture = undefined;
});

/** Runs a libimobiledevice tool against the virtual device's socket. */
async function tool(f: ServedFixture, command: string, args: string[]) {
  return run(command, args, { env: { ...process.env, USBMUXD_SOCKET_ADDRESS: f.address }, timeout: 15_000 });
}

describe("libimobiledevice 1.3.0 tools accept the virtual iPhone", () => {
  withPeer("idevice_id", "libimobiledevice-utils")("idevice_id -l lists its UDID", async () => {
    fixture = await serveFixture();
    const { stdout } = await tool(fixture, "idevice_id", ["-l"]);
    expect(stdout.trim().split("\n")).toEqual([fixture.served.udid]);
  });

  withPeer("ideviceinfo", "libimobiledevice-utils")(
    "ideviceinfo prints its identity after pairing on its own",
    async () => {
      fixture = await serveFixture();
      const { stdout } = await tool(fixture, "ideviceinfo", []);
      expect(stdout).toContain(`UniqueDeviceID: ${fixture.served.udid}`);
      expect(stdout).toContain("ProductVersion: 18.1");
      expect(stdout).toContain(`DeviceName: ${fixture.served.name}`);
      expect(fixture.errors).toEqual([]);
    },
  );
});
