import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { deviceCommand } from "../../src/cli/commands/device.js";
import { createVirtualDevice } from "../../src/device/virtual/create.js";
import { deviceInfo } from "../../src/device/virtual/info.js";
import { captured } from "../support/output.js";

const fresh = () => join(mkdtempSync(join(tmpdir(), "cradle-device-")), "phone");

describe("cradle device info", () => {
  it("reports identity, counts per domain and the iCloud state the guard sees", () => {
    const dir = fresh();
    const created = createVirtualDevice(dir, {
      name: "Test Phone",
      sample: 7,
      icloud: ["calendars", "photos"],
    });
    const info = deviceInfo(`ios:${dir}`);
    expect(info).toMatchObject({
      udid: created.udid,
      name: "Test Phone",
      productVersion: "18.1",
      productType: "iPhone15,2",
      counts: { contacts: 7, calendars: 18, photos: 12 },
      albums: 3,
      icloud: { contacts: false, calendars: true, photos: true },
    });
    expect(info.icloudAccount).toMatch(/@icloud\.example$/);
  });

  it("runs create and info through the command, with --json", async () => {
    const dir = fresh();
    const create = captured(true);
    expect(
      await deviceCommand.run(["create", dir, "--sample", "4", "--icloud", "contacts", "--json"], create.out),
    ).toBe(0);
    expect(create.printed[0]?.value).toMatchObject({ contacts: 4, icloud: { contacts: true } });
    expect(create.printed[0]?.text).toMatch(/18 events in Library\/Calendar\/Calendar.sqlitedb/);

    const info = captured(true);
    expect(await deviceCommand.run(["info", dir, "--json"], info.out)).toBe(0);
    const json = JSON.parse(JSON.stringify(info.printed[0]?.value));
    expect(json).toMatchObject({ name: "Cradle iPhone", productVersion: "18.1", counts: { contacts: 4 } });
    expect(json.udid).toMatch(/^[0-9a-f]{40}$/);
    expect(json.icloud).toEqual({ contacts: true, calendars: false, photos: false });
    await expect(deviceCommand.run(["frob"], captured(false).out)).rejects.toMatchObject({ exitCode: 2 });
    await expect(
      deviceCommand.run(["create", dir, "--icloud", "mail"], captured(false).out),
    ).rejects.toMatchObject({
      exitCode: 2,
    });
  });

  const MAIN = resolve("dist/cli/main.js");
  it("works from the built CLI (npm test builds first)", () => {
    const dir = fresh();
    const run = (args: string[]) =>
      spawnSync(process.execPath, [MAIN, "device", ...args], { encoding: "utf8" });
    const create = run(["create", dir, "--seed", "cli", "--json"]);
    expect(create.status, create.stderr).toBe(0);
    const info = run(["info", dir, "--json"]);
    expect(info.status, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({
      udid: JSON.parse(create.stdout).udid,
      counts: { contacts: 20, photos: 12 },
      icloud: { contacts: false, calendars: false, photos: false },
    });
    expect(run(["create", dir]).status).toBe(1);
    expect(run(["--help"]).stdout).toContain("Media/PhotoData/Photos.sqlite");
  });
});
