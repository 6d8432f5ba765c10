import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";

/** These tests run the built CLI (npm test builds before it runs vitest). */
const MAIN = resolve("dist/cli/main.js");
let server: ChildProcess | undefined;

afterEach(() => {
  server?.kill("SIGTERM");
  server = undefined;
});

function cradle(args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `cradle device serve` and resolves with its JSON announcement. */
async function serve(
  home: string,
  args: string[],
): Promise<{ address: string; export: string; udid: string }> {
  server = spawn(process.execPath, [MAIN, "device", "serve", ...args, "--json"], {
    env: { ...process.env, CRADLE_HOME: home },
  });
  let text = "";
  for await (const line of createInterface({ input: server.stdout as NodeJS.ReadableStream })) {
    text += line;
    if (line === "}") break;
  }
  return JSON.parse(text);
}

describe("cradle devices, pair, device serve, device info device:UDID", () => {
  it("serves a virtual iPhone that cradle lists, pairs with and reads live; exits 0 on SIGTERM and removes its socket", async () => {
    const home = mkdtempSync(join(tmpdir(), "cradle-cli-device-"));
    const env = { CRADLE_HOME: home };
    expect(cradle(["device", "create", join(home, "phone"), "--icloud", "contacts"], env).code).toBe(0);
    const announced = await serve(home, [join(home, "phone")]);
    const socket = join(home, "run", "usbmuxd.sock");
    expect(announced.address).toBe(`UNIX:${socket}`);
    expect(announced.export).toBe(`USBMUXD_SOCKET_ADDRESS=UNIX:${socket}`);
    const client = { ...env, USBMUXD_SOCKET_ADDRESS: announced.address };

    const before = cradle(["devices", "--json"], client);
    expect(JSON.parse(before.stdout)).toEqual([
      {
        udid: announced.udid,
        name: "Cradle iPhone",
        productVersion: "18.1",
        paired: false,
        connectionType: "USB",
      },
    ]);
    const paired = cradle(["pair", "--json"], client);
    expect(paired.code, paired.stderr).toBe(0);
    const record = JSON.parse(paired.stdout).recordPath as string;
    expect(record).toBe(join(home, "state", "pair-records", `${announced.udid}.plist`));
    expect(statSync(record).mode & 0o777).toBe(0o600);
    expect(paired.stdout + paired.stderr).not.toContain("PRIVATE KEY");
    expect(JSON.parse(cradle(["devices", "--json"], client).stdout)[0].paired).toBe(true);

    const info = cradle(["device", "info", `device:${announced.udid}`, "--json"], client);
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({
      udid: announced.udid,
      productType: "iPhone15,2",
      icloud: { contacts: true, calendars: false, photos: null },
    });

    const stopped = new Promise<number | null>((done) => server?.once("exit", done));
    server?.kill("SIGTERM");
    expect(await stopped).toBe(0);
    expect(existsSync(socket)).toBe(false);
  });

  it("says plainly when usbmuxd is not running, and refuses a socket address libusbmuxd would ignore", () => {
    const home = mkdtempSync(join(tmpdir(), "cradle-cli-device-"));
    const env = { CRADLE_HOME: home, USBMUXD_SOCKET_ADDRESS: `UNIX:${join(home, "absent.sock")}` };
    const listed = cradle(["devices", "--json"], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
    expect(listed.stderr).toContain("usbmuxd is not running");
    const pair = cradle(["pair", "--json"], env);
    expect(pair.code).toBe(1);
    expect(JSON.parse(pair.stderr)).toMatchObject({ code: "DeviceConnectionError", exitCode: 1 });
    const bad = cradle(["device", "serve", join(home, "phone"), "--socket", "/tmp/no-prefix.sock"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("UNIX:/path or host:port");
    const notDevice = cradle(["device", "serve", join(home, "nothing-here")], env);
    expect(notDevice.code).toBe(1);
    expect(existsSync(join(home, "nothing-here"))).toBe(false);
  });
});
