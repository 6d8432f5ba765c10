import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "plist";
import { afterEach, describe, expect } from "vitest";
import { ByteReader } from "../../src/device/byte-reader.js";
import { pairDevice } from "../../src/device/pairing/pair.js";
import { PairRecordStore } from "../../src/device/pairing/record-store.js";
import { encodePlistMessage, readPlistDict } from "../../src/device/plist-service.js";
import { formatUsbmuxAddress, parseUsbmuxAddress } from "../../src/device/usbmux/address.js";
import { UsbmuxClient } from "../../src/device/usbmux/client.js";
import { deviceInfo } from "../../src/device/virtual/info.js";
import { serveVirtualDevice } from "../../src/device/virtual-device/serve.js";
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
  withPeer("idevice_id", "libimobiledevice-utils")(
    "idevice_id -l lists its UDID; idevice_id UDID names it",
    async () => {
      fixture = await serveFixture();
      const { stdout } = await tool(fixture, "idevice_id", ["-l"]);
      expect(stdout.trim().split("\n")).toEqual([fixture.served.udid]);
      const named = await tool(fixture, "idevice_id", [fixture.served.udid]);
      expect(named.stdout.trim()).toBe(fixture.served.name);
    },
  );

  withPeer("idevice_id", "libimobiledevice-utils")(
    "is reached over TCP too (USBMUXD_SOCKET_ADDRESS=host:port)",
    async () => {
      fixture = await serveFixture();
      const tcp = await serveVirtualDevice({
        home: fixture.home,
        address: { kind: "tcp", host: "127.0.0.1", port: 0 },
        hostRecords: new PairRecordStore(join(fixture.dir, "tcp-records")),
        services: [],
      });
      try {
        const address = formatUsbmuxAddress(tcp.address);
        expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
        const { stdout } = await run("idevice_id", ["-l"], {
          env: { ...process.env, USBMUXD_SOCKET_ADDRESS: address },
        });
        expect(stdout.trim()).toBe(fixture.served.udid);
      } finally {
        await tcp.close();
      }
    },
  );

  withPeer("inetcat", "libusbmuxd-tools")(
    "inetcat 62078 reaches lockdownd through libusbmuxd's Connect",
    async () => {
      fixture = await serveFixture();
      const child = spawn("inetcat", ["62078"], {
        env: { ...process.env, USBMUXD_SOCKET_ADDRESS: fixture.address },
      });
      child.stdin.write(encodePlistMessage({ Label: "inetcat-test", Request: "QueryType" }));
      const reply = await readPlistDict(new ByteReader(child.stdout, "inetcat"), { timeoutMs: 10_000 });
      child.kill();
      expect(reply).toEqual({ Request: "QueryType", Type: "com.apple.mobile.lockdown" });
    },
  );

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
    "idevicepair pair, then validate, idevicename renames, then unpair; the record usbmuxd keeps is mode 0600",
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
      await tool(fixture, "idevicename", ["Renamed Phone"]);
      expect((await tool(fixture, "idevicename", [])).stdout.trim()).toBe("Renamed Phone");
      expect(deviceInfo(fixture.home).name).toBe("Renamed Phone");
      const hosts = join(fixture.home, "Library", "Lockdown", "pair_records");
      expect(readdirSync(hosts)).toHaveLength(1);
      await tool(fixture, "idevicepair", ["unpair"]);
      // Both sides forgot each other: usbmuxd's record and the device's trust in that host are gone.
      expect(existsSync(record)).toBe(false);
      expect(readdirSync(hosts)).toEqual([]);
    },
  );

  withPeer("ideviceinfo", "libimobiledevice-utils")(
    "ideviceinfo uses the record cradle pair handed to usbmuxd: Cradle's certificates work for libimobiledevice",
    async () => {
      fixture = await serveFixture();
      const usbmux = new UsbmuxClient(parseUsbmuxAddress(fixture.address));
      const paired = await pairDevice({ usbmux, records: fixture.clientRecords });
      const { stdout } = await tool(fixture, "ideviceinfo", ["-k", "DeviceName"]);
      expect(stdout.trim()).toBe(fixture.served.name);
      // No second pairing happened: the device trusts exactly the host Cradle made.
      const hosts = join(fixture.home, "Library", "Lockdown", "pair_records");
      expect(readdirSync(hosts)).toEqual([`${paired.hostId}.plist`]);
    },
  );
});
