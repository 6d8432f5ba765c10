import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { VIRTUAL_SERVICES } from "../../src/device/virtual-device/services.js";
import { backupFiles, homeFiles } from "../device/mobilebackup2/backup-pair.js";
import { type ServedFixture, serveFixture } from "../device/serve-helpers.js";

/** These tests run the built CLI (npm test builds before it runs vitest). */
const MAIN = resolve("dist/cli/main.js");
let fixture: ServedFixture | undefined;
const homes: string[] = [];
afterEach(async () => {
  await fixture?.served.close();
  if (fixture) homes.push(fixture.dir);
  fixture = undefined;
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});
const scratch = () => {
  const home = mkdtempSync(join(tmpdir(), "cradle-cli-backup-"));
  homes.push(home);
  return home;
};

/** Runs the CLI without blocking: the virtual device it talks to is served by this process. */
function cradle(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

describe("cradle device backup / restore", () => {
  it("backs a served virtual iPhone up into DIR/<udid> and restores it", async () => {
    // The device is served in-process (cradle device serve's own test runs the server command).
    fixture = await serveFixture({ services: VIRTUAL_SERVICES });
    const home = fixture.dir;
    const phone = fixture.home;
    const announced = { udid: fixture.served.udid };
    const env = { CRADLE_HOME: home, USBMUXD_SOCKET_ADDRESS: fixture.address };
    expect((await cradle(["pair"], env)).code).toBe(0);
    const dir = join(home, "backups");
    mkdirSync(dir);

    const backedUp = await cradle(["device", "backup", dir, "--full", "--json"], env);
    expect(backedUp.code).toBe(0);
    const result = JSON.parse(backedUp.stdout);
    expect(result).toMatchObject({ udid: announced.udid, folder: join(dir, announced.udid) });
    expect(readdirSync(dir)).toEqual([announced.udid]);
    const files = await backupFiles(result.folder);
    expect(files).toEqual(await homeFiles(phone));

    writeFileSync(join(phone, "Library/AddressBook/AddressBook.sqlitedb"), "clobbered");
    const restored = await cradle(["device", "restore", dir, "--udid", announced.udid], env);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`Restored ${announced.udid}`);
    const now = await homeFiles(phone);
    expect(now.get("HomeDomain/Library/AddressBook/AddressBook.sqlitedb")).toBe(
      files.get("HomeDomain/Library/AddressBook/AddressBook.sqlitedb"),
    );
  });

  it("exits 2 without a DIR and 1 when no device answers", async () => {
    const home = scratch();
    expect((await cradle(["device", "backup"], { CRADLE_HOME: home })).code).toBe(2);
    const missing = await cradle(["device", "backup", home, "--json"], {
      CRADLE_HOME: home,
      USBMUXD_SOCKET_ADDRESS: `UNIX:${join(home, "nothing.sock")}`,
    });
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({ type: "error", exitCode: 1 });
  });
});
