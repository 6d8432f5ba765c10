import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { IosTreeSource } from "../../../src/backup/sources/ios-tree.js";
import { IosTreeTarget } from "../../../src/backup/targets/ios-tree.js";
import { backupDevice, restoreDevice } from "../../../src/device/mobilebackup2/device-backup.js";
import { pairDevice } from "../../../src/device/pairing/pair.js";
import { parseUsbmuxAddress } from "../../../src/device/usbmux/address.js";
import { UsbmuxClient } from "../../../src/device/usbmux/client.js";
import { VIRTUAL_SERVICES } from "../../../src/device/virtual-device/services.js";
import { type ServedFixture, serveFixture } from "../serve-helpers.js";
import { backupFiles } from "./backup-pair.js";

let fixture: ServedFixture | undefined;
afterEach(async () => {
  await fixture?.served.close();
  fixture = undefined;
});

/** Every file below a folder, as path → bytes. */
function filesBelow(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(path, readFileSync(path));
    }
  return files;
}

describe("the virtual iPhone's lockdown secrets (Library/Lockdown)", () => {
  it("are in no backup, and a restore leaves them as they were", async () => {
    fixture = await serveFixture({ services: VIRTUAL_SERVICES });
    const usbmux = new UsbmuxClient(parseUsbmuxAddress(fixture.address));
    const records = fixture.clientRecords;
    await pairDevice({ usbmux, records });
    const lockdown = join(fixture.home, "Library/Lockdown");
    const secrets = filesBelow(lockdown);
    const privateKey = secrets.get(join(lockdown, "device_private_key.pem"));
    expect(privateKey?.toString("utf8")).toContain("PRIVATE KEY");
    expect(secrets.size).toBeGreaterThan(1);

    // The ios:DIR source does not list them.
    for await (const entry of new IosTreeSource(fixture.home).entries())
      expect(entry.relativePath.startsWith("Library/Lockdown")).toBe(false);

    // The device's mobilebackup2 upload does not send them: no file of the backup folder holds the key.
    const dir = join(fixture.dir, "backups");
    mkdirSync(dir);
    const result = await backupDevice({ usbmux, records, dir, full: true });
    expect([...(await backupFiles(result.folder)).keys()].some((path) => path.includes("Lockdown"))).toBe(
      false,
    );
    const key = (privateKey as Buffer).toString("utf8").split("\n")[1] as string;
    for (const [path, bytes] of filesBelow(result.folder))
      expect(bytes.includes(key), `${path} holds the device's private key`).toBe(false);

    await restoreDevice({ usbmux, records, dir });
    expect(filesBelow(lockdown)).toEqual(secrets);
    expect(fixture.errors).toEqual([]);
  });

  it("are not written over by a restore whose backup holds some", async () => {
    fixture = await serveFixture({ services: VIRTUAL_SERVICES });
    const path = join(fixture.home, "Library/Lockdown/values.plist");
    const before = readFileSync(path);
    const target = new IosTreeTarget(fixture.home);
    const entry = {
      domain: "HomeDomain",
      relativePath: "Library/Lockdown/values.plist",
      kind: "file" as const,
      mode: 0o644,
      mtime: Date.now(),
      size: 9,
    };
    await target.put(entry, Readable.from([Buffer.from("clobbered")]));
    await target.commit({ udid: "x", name: "x" });
    expect(readFileSync(path)).toEqual(before);
    expect(target.skipped).toEqual([entry]);
  });
});
