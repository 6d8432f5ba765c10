import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { backupFiles, homeFiles } from "../device/mobilebackup2/backup-pair.js";

/** These tests run the built CLI (npm test builds before it runs vitest). */
const MAIN = resolve("dist/cli/main.js");
let server: ChildProcess | undefined;
const homes: string[] = [];
afterEach(() => {
  server?.kill("SIGTERM");
  server = undefined;
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});
const scratch = () => {
  const home = mkdtempSync(join(tmpdir(), "cradle-cli-backup-"));
  homes.push(home);
  return home;
};

function cradle(args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function serve(home: string, phone: string): Promise<{ address: string; udid: string }> {
  server = spawn(process.execPath, [MAIN, "device", "serve", phone, "--json"], {
    env: { ...process.env, CRADLE_HOME: home },
  });
  let text = "";
  for await (const line of createInterface({ input: server.stdout as NodeJS.ReadableStream })) {
    text += line;
    if (line === "}") break;
  }
  return JSON.parse(text);
}

describe("cradle device backup / restore", () => {
  it("backs a served virtual iPhone up into DIR/<udid> and restores it", async () => {
    const home = scratch();
    const phone = join(home, "phone");
    expect(cradle(["device", "create", phone], { CRADLE_HOME: home }).code).toBe(0);
    const announced = await serve(home, phone);
    const env = { CRADLE_HOME: home, USBMUXD_SOCKET_ADDRESS: announced.address };
    expect(cradle(["pair"], env).code).toBe(0);
    const dir = join(home, "backups");
    mkdirSync(dir);

    const backedUp = cradle(["device", "backup", dir, "--full", "--json"], env);
    expect(backedUp.code).toBe(0);
    const result = JSON.parse(backedUp.stdout);
    expect(result).toMatchObject({ udid: announced.udid, folder: join(dir, announced.udid) });
    expect(readdirSync(dir)).toEqual([announced.udid]);
    const files = await backupFiles(result.folder);
    expect(files).toEqual(await homeFiles(phone));

    writeFileSync(join(phone, "Library/AddressBook/AddressBook.sqlitedb"), "clobbered");
    const restored = cradle(["device", "restore", dir, "--udid", announced.udid], env);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`Restored ${announced.udid}`);
    const now = await homeFiles(phone);
    expect(now.get("HomeDomain/Library/AddressBook/AddressBook.sqlitedb")).toBe(
      files.get("HomeDomain/Library/AddressBook/AddressBook.sqlitedb"),
    );
  });

  it("exits 2 without a DIR and 1 when no device answers", () => {
    const home = scratch();
    expect(cradle(["device", "backup"], { CRADLE_HOME: home }).code).toBe(2);
    const missing = cradle(["device", "backup", home, "--json"], {
      CRADLE_HOME: home,
      USBMUXD_SOCKET_ADDRESS: `UNIX:${join(home, "nothing.sock")}`,
    });
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({ type: "error", exitCode: 1 });
  });
});
