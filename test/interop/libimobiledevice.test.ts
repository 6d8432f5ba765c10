import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "plist";
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

  withPeer("ideviceinfo", "libimobiledevice-utils")(
    "ideviceinfo -q com.apple.mobile.data_sync reflects the iCloud switches of Accounts3.sqlite",
    async () => {
      fixture = await serveFixture({ icloud: ["contacts"] });
      const { stdout } = await tool(fixture, "ideviceinfo", ["-q", "com.apple.mobile.data_sync", "-x"]);
      const value = parse(stdout) as Record<string, { Sources: string[] }>;
      expect(value.Contacts?.Sources).toEqual(["iCloud"]);
      expect(value.Calendars?.Sources).toEqual([]);
      const tethered = await tool(fixture, "ideviceinfo", [
        "-q",
        "com.apple.mobile.tethered_sync",
        "-k",
        "Contacts",
      ]);
      expect(tethered.stdout).toContain("DisableTethered: true");
    },
  );

  withPeer("idevicepair", "libimobiledevice-utils")(
    "idevicepair pair, then validate, then unpair; the record usbmuxd keeps is mode 0600",
    async () => {
      fixture = await serveFixture();
      const udid = fixture.served.udid;
      const paired = await tool(fixture, "idevicepair", ["pair"]);
      expect(paired.stdout).toContain(`SUCCESS: Paired with device ${udid}`);
      const record = join(fixture.dir, "usbmuxd-records", `${udid}.plist`);
      expect(statSync(record).mode & 0o777).toBe(0o600);
      const validated = await tool(fixture, "idevicepair", ["validate"]);
      expect(validated.stdout).toContain(`SUCCESS: Validated pairing with device ${udid}`);
      const name = await tool(fixture, "idevicename", []);
      expect(name.stdout.trim()).toBe(fixture.served.name);
      const hosts = join(fixture.home, "Library", "Lockdown", "pair_records");
      expect(readdirSync(hosts)).toHaveLength(1);
      await tool(fixture, "idevicepair", ["unpair"]);
      // Both sides forgot each other: usbmuxd's record and the device's trust in that host are gone.
      expect(existsSync(record)).toBe(false);
      expect(readdirSync(hosts)).toEqual([]);
    },
  );
});
