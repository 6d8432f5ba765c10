import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { snapshot } from "../support/snapshot.js";

/** The built CLI (npm test builds before it runs vitest), as a user runs it. */
const MAIN = resolve("dist/cli/main.js");

function cradle(args: string[], home: string) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: home,
    env: { ...process.env, CRADLE_HOME: home },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the iCloud guard through the CLI, per domain", () => {
  it("refuses contacts (exit 3, nothing written on either side) but syncs calendars on a device made with --icloud contacts", () => {
    const home = mkdtempSync(join(tmpdir(), "cradle-cli-guard-"));
    const device = join(home, "D");
    expect(cradle(["device", "create", device, "--icloud", "contacts", "--sample", "5"], home).code).toBe(0);
    const contacts = join(home, "V");
    mkdirSync(contacts);
    writeFileSync(
      join(contacts, "anna.vcf"),
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Meyer\r\nN:Meyer;Anna;;;\r\nUID:anna\r\nEND:VCARD\r\n",
    );
    const before = { device: snapshot(device), contacts: snapshot(contacts) };

    const refused = cradle(["sync", "contacts", `ios:${device}`, `vdir:${contacts}`, "--json"], home);
    expect(refused.code, refused.stderr).toBe(3);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      domain: "contacts",
      status: "disabled",
      reason: "icloud",
    });
    expect({ device: snapshot(device), contacts: snapshot(contacts) }).toEqual(before);

    const calendars = join(home, "V2");
    const synced = cradle(["sync", "calendars", `ios:${device}`, `vdir:${calendars}`, "--json"], home);
    expect(synced.code, synced.stderr).toBe(0);
    expect(JSON.parse(synced.stdout).endpoints[1]).toMatchObject({ created: 18, failed: 0 });
    expect(readdirSync(calendars).filter((f) => f.endsWith(".ics"))).toHaveLength(18);
    const again = cradle(["sync", "calendars", `ios:${device}`, `vdir:${calendars}`, "--json"], home);
    expect(JSON.parse(again.stdout).endpoints.map((e: { updated: number }) => e.updated)).toEqual([0, 0]);
  });
});
