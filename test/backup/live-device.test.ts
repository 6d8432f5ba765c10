import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { backup } from "../../src/backup/archiver.js";
import { Repository } from "../../src/backup/repository/repository.js";
import { restore } from "../../src/backup/restorer.js";
import { LiveDeviceSource } from "../../src/backup/sources/live-device.js";
import { IosTreeTarget } from "../../src/backup/targets/ios-tree.js";
import { pairDevice } from "../../src/device/pairing/pair.js";
import { parseUsbmuxAddress } from "../../src/device/usbmux/address.js";
import { UsbmuxClient } from "../../src/device/usbmux/client.js";
import { VIRTUAL_SERVICES } from "../../src/device/virtual-device/services.js";
import { homeFiles } from "../device/mobilebackup2/backup-pair.js";
import { type ServedFixture, serveFixture } from "../device/serve-helpers.js";

let fixture: ServedFixture | undefined;
afterEach(async () => {
  await fixture?.served.close();
  fixture = undefined;
});

describe("device:UDID as a backup source", () => {
  it("snapshots what the served virtual iPhone sends over mobilebackup2, and restores it", async () => {
    fixture = await serveFixture({ services: VIRTUAL_SERVICES });
    const usbmux = new UsbmuxClient(parseUsbmuxAddress(fixture.address));
    const records = fixture.clientRecords;
    await pairDevice({ usbmux, records });
    const staging = join(fixture.dir, "staging");
    mkdirSync(staging);

    const repo = await Repository.create({ root: join(fixture.dir, "repo") });
    const source = new LiveDeviceSource({ usbmux, records, stagingParent: staging });
    const summary = await backup({ repo, source }).finally(() => source.close());
    expect(summary.snapshot.device.udid).toBe(fixture.served.udid);
    expect(summary.snapshot.source).toBe(`device:${fixture.served.udid}`);
    // The staging copy of the device's backup is gone once the snapshot is saved.
    expect(readdirSync(staging)).toEqual([]);

    const out = join(fixture.dir, "restored");
    await restore({ repo, snapshot: summary.snapshot, target: new IosTreeTarget(out) });
    expect(existsSync(join(out, "Library/AddressBook/AddressBook.sqlitedb"))).toBe(true);
    expect(await homeFiles(out)).toEqual(await homeFiles(fixture.home));
    expect(fixture.errors).toEqual([]);
  });

  it("reports a device that is not there, and leaves no staging folder", async () => {
    fixture = await serveFixture({ services: VIRTUAL_SERVICES });
    const usbmux = new UsbmuxClient(parseUsbmuxAddress(fixture.address));
    const staging = join(fixture.dir, "staging");
    mkdirSync(staging);
    const repo = await Repository.create({ root: join(fixture.dir, "repo") });
    const source = new LiveDeviceSource({ udid: "0".repeat(40), usbmux, stagingParent: staging });
    await expect(backup({ repo, source }).finally(() => source.close())).rejects.toThrow(/0000/);
    expect(readdirSync(staging)).toEqual([]);
  });
});
