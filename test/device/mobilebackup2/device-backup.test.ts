import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { backupDevice, restoreDevice } from "../../../src/device/mobilebackup2/device-backup.js";
import { pairDevice } from "../../../src/device/pairing/pair.js";
import { parseUsbmuxAddress } from "../../../src/device/usbmux/address.js";
import { UsbmuxClient } from "../../../src/device/usbmux/client.js";
import { VIRTUAL_SERVICES } from "../../../src/device/virtual-device/services.js";
import { type ServedFixture, serveFixture } from "../serve-helpers.js";
import { backupFiles, homeFiles } from "./backup-pair.js";

let fixture: ServedFixture | undefined;
afterEach(async () => {
  await fixture?.served.close();
  fixture = undefined;
});

describe("backupDevice and restoreDevice over usbmuxd, lockdown and TLS", () => {
  it("back the served virtual iPhone up and restore it", async () => {
    fixture = await serveFixture({ services: VIRTUAL_SERVICES });
    const usbmux = new UsbmuxClient(parseUsbmuxAddress(fixture.address));
    const records = fixture.clientRecords;
    await pairDevice({ usbmux, records });
    const dir = join(fixture.dir, "backups");
    mkdirSync(dir);

    const result = await backupDevice({ usbmux, records, dir, full: true });
    expect(result.udid).toBe(fixture.served.udid);
    expect(result.filesReceived).toBeGreaterThan(3);
    const backedUp = await backupFiles(result.folder);
    expect(backedUp).toEqual(await homeFiles(fixture.home));

    writeFileSync(join(fixture.home, "Library/AddressBook/AddressBook.sqlitedb"), "clobbered");
    await restoreDevice({ usbmux, records, dir });
    const now = await homeFiles(fixture.home);
    expect(new Map([...now].filter(([path]) => backedUp.has(path)))).toEqual(backedUp);
    expect(fixture.errors).toEqual([]);
  });
});
