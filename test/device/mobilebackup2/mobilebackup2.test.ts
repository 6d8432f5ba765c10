import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DeviceLinkChannel } from "../../../src/device/devicelink/channel.js";
import { sendFileContent, sendUploadHeader } from "../../../src/device/devicelink/file-stream.js";
import {
  offerDeviceLinkVersion,
  receiveProcessMessage,
  sendProcessMessage,
} from "../../../src/device/devicelink/messages.js";
import { MobileBackup2Client } from "../../../src/device/mobilebackup2/client.js";
import { buildBinaryPlist, PlistReal, parsePlistDict } from "../../../src/device/plist/index.js";
import { socketPair } from "../socket-pair.js";
import { type BackupPair, backupFiles, backupPair, homeFiles, makeHome } from "./backup-pair.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
async function pair(existing?: Parameters<typeof backupPair>[0]): Promise<BackupPair> {
  const made = await backupPair(existing);
  cleanups.push(made.close);
  return made;
}
function scratch(): string {
  const root = mkdtempSync(join(tmpdir(), "cradle-mb2-"));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  return root;
}
const addressBook = "Library/AddressBook/AddressBook.sqlitedb";

describe("mobilebackup2 between the virtual iPhone and Cradle's client", () => {
  it("agrees on protocol 2.1 and backs up every file of the home tree into DIR/<udid>", async () => {
    const p = await pair();
    expect(await p.client.hello()).toBe(2.1);
    const progress: { loaded: number; total: number }[] = [];
    await p.client.backup({ dir: p.dir, udid: p.udid, onProgress: (e) => progress.push(e) });
    const folder = join(p.dir, p.udid);
    expect(parsePlistDict(readFileSync(join(folder, "Status.plist"))).SnapshotState).toBe("finished");
    const backedUp = await backupFiles(folder);
    expect(backedUp).toEqual(await homeFiles(p.home));
    expect(backedUp.has(`HomeDomain/${addressBook}`)).toBe(true);
    expect(progress.at(-1)?.loaded).toBe(progress.at(-1)?.total);
    expect(readdirSync(p.dir)).toEqual([p.udid]);
    await p.client.disconnect();
    await p.served;
  });

  it("takes an incremental backup over the last one, and Info and List describe it", async () => {
    const p = await pair();
    await p.client.hello();
    await p.client.backup({ dir: p.dir, udid: p.udid });
    writeFileSync(join(p.home, "Library/Notes.txt"), "written after the first backup");
    await p.client.backup({ dir: p.dir, udid: p.udid });
    const backedUp = await backupFiles(join(p.dir, p.udid));
    expect(backedUp.get("HomeDomain/Library/Notes.txt")).toBe(
      Buffer.from("written after the first backup").toString("base64"),
    );
    expect(await p.client.info(p.dir, p.udid)).toContain("SnapshotState: finished");
    expect(await p.client.list(p.dir, p.udid)).toContain("HomeDomain,Library/Notes.txt,file,30");
    expect(readdirSync(p.dir)).toEqual([p.udid]);
  });

  it("restores the backup into the home tree", async () => {
    const p = await pair();
    await p.client.hello();
    await p.client.backup({ dir: p.dir, udid: p.udid });
    const before = await homeFiles(p.home);
    writeFileSync(join(p.home, addressBook), "clobbered");
    await p.client.restore({ dir: p.dir, udid: p.udid, system: true });
    expect(await homeFiles(p.home)).toEqual(before);
  });

  it("refuses to restore from a folder without a finished backup", async () => {
    const p = await pair();
    await p.client.hello();
    await expect(p.client.restore({ dir: p.dir, udid: p.udid })).rejects.toMatchObject({
      code: "MobileBackup2Error",
    });
  });
});

/** A device that follows a script instead of the virtual iPhone's handler. */
async function scriptedDevice(script: (device: DeviceLinkChannel) => Promise<void>) {
  const sockets = await socketPair();
  cleanups.push(sockets.close);
  const device = new DeviceLinkChannel(sockets.deviceReader, sockets.deviceSocket);
  const run = (async () => {
    await offerDeviceLinkVersion(device, { major: 300, minor: 0 });
    await receiveProcessMessage(device);
    await sendProcessMessage(device, {
      MessageName: "Response",
      ErrorCode: 0,
      ProtocolVersion: new PlistReal(2.1),
    });
    await receiveProcessMessage(device);
    await script(device);
  })();
  run.catch(() => undefined);
  const client = new MobileBackup2Client(new DeviceLinkChannel(sockets.hostReader, sockets.hostSocket));
  await client.hello();
  return { client, sockets };
}

describe("mobilebackup2 client against a misbehaving device", () => {
  it("leaves the last backup untouched when the device disconnects mid-upload", async () => {
    const root = scratch();
    const { home, udid } = makeHome(root);
    const good = await pair({ root, home, udid });
    await good.client.hello();
    await good.client.backup({ dir: good.dir, udid });
    const before = await backupFiles(join(good.dir, udid));

    const { client, sockets } = await scriptedDevice(async (device) => {
      await device.send(["DLMessageUploadFiles", {}, new PlistReal(0), 1000]);
      await sendUploadHeader(device, "x", `${udid}/Manifest.db`);
      await sendFileContent(
        device,
        (async function* () {
          yield Buffer.from("half a manifest");
        })(),
      );
      await sendUploadHeader(device, "y", `${udid}/Status.plist`);
      sockets.deviceSocket.destroy();
    });
    await expect(client.backup({ dir: good.dir, udid })).rejects.toThrow(/closed/);
    expect(await backupFiles(join(good.dir, udid))).toEqual(before);
    expect(readdirSync(good.dir)).toEqual([udid]);
  });

  it("fails when the device ends with an error code, and keeps nothing", async () => {
    const root = scratch();
    const { client } = await scriptedDevice(async (device) => {
      await sendProcessMessage(device, { ErrorCode: 105, ErrorDescription: "Not enough space" });
    });
    await expect(client.backup({ dir: root, udid: "U" })).rejects.toThrow(/ErrorCode 105: Not enough space/);
    expect(readdirSync(root)).toEqual([]);
  });

  it("refuses a path that leaves the backup folder", async () => {
    const root = scratch();
    const { client } = await scriptedDevice(async (device) => {
      await device.send(["DLMessageCreateDirectory", "U/../../escaped"]);
    });
    await expect(client.backup({ dir: join(root), udid: "U" })).rejects.toMatchObject({
      code: "UnsafePathError",
    });
    expect(existsSync(join(root, "..", "escaped"))).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });

  it("refuses a backup that ends without a finished Status.plist", async () => {
    const root = scratch();
    const { client } = await scriptedDevice(async (device) => {
      await sendProcessMessage(device, { ErrorCode: 0 });
    });
    await expect(client.backup({ dir: root, udid: "U" })).rejects.toThrow(/finished Status.plist/);
    expect(readdirSync(root)).toEqual([]);
  });

  it("refuses writes during a restore, which only reads the backup", async () => {
    const root = scratch();
    mkdirSync(join(root, "U"));
    writeFileSync(join(root, "U", "Status.plist"), buildBinaryPlist({ SnapshotState: "finished" }));
    const { client } = await scriptedDevice(async (device) => {
      await device.send(["DLMessageRemoveItems", ["U/Status.plist"], {}, new PlistReal(0)]);
    });
    await expect(client.restore({ dir: root, udid: "U" })).rejects.toThrow(/during a restore/);
    expect(existsSync(join(root, "U", "Status.plist"))).toBe(true);
  });
});
