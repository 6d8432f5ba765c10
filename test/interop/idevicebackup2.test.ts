import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect } from "vitest";
import { BackupFolderTarget } from "../../src/backup/ios-backup/folder-target.js";
import { IosTreeSource } from "../../src/backup/sources/ios-tree.js";
import { VIRTUAL_SERVICES } from "../../src/device/virtual-device/services.js";
import { backupFiles, homeFiles } from "../device/mobilebackup2/backup-pair.js";
import { type ServedFixture, serveFixture } from "../device/serve-helpers.js";
import { withPeer } from "./peer.js";

const run = promisify(execFile);
let fixture: ServedFixture | undefined;
afterEach(async () => {
  await fixture?.served.close();
  fixture = undefined;
});

/** idevicebackup2 against the virtual device's socket; its output, whatever its exit status. */
async function idevicebackup2(f: ServedFixture, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run("idevicebackup2", args, {
      env: { ...process.env, USBMUXD_SOCKET_ADDRESS: f.address },
      timeout: 20_000,
    });
    return stdout + stderr;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return `${failed.stdout ?? ""}${failed.stderr ?? ""}`;
  }
}

const peer = withPeer("idevicebackup2", "libimobiledevice-utils");

describe("idevicebackup2 (libimobiledevice 1.3.0) against the virtual iPhone", () => {
  peer("backs it up: Backup Successful, and the folder holds the home tree's files", async () => {
    fixture = await serveFixture({ services: VIRTUAL_SERVICES });
    const out = join(fixture.dir, "backups");
    mkdirSync(out);
    const output = await idevicebackup2(fixture, ["backup", "--full", out]);
    expect(output).toContain("Backup Successful");
    expect(await backupFiles(join(out, fixture.served.udid))).toEqual(await homeFiles(fixture.home));
    expect(fixture.errors).toEqual([]);
    // Cradle's own client (src/device/sync-lock.ts) takes the lock the same way.
    expect(
      fixture.served.journal.filter((line) =>
        /syncWillStart|syncLockRequest|syncDidStart|syncDidFinish|lock /.test(line),
      ),
    ).toEqual([
      "post com.apple.itunes-mobdev.syncWillStart",
      "post com.apple.itunes-mobdev.syncLockRequest",
      "lock /com.apple.itunes.lock_sync",
      "post com.apple.itunes-mobdev.syncDidStart",
      "unlock /com.apple.itunes.lock_sync",
      "post com.apple.itunes-mobdev.syncDidFinish",
    ]);
  });

  peer("restores a Cradle-exported backup onto it, and reads its info and file list", async () => {
    fixture = await serveFixture({ services: VIRTUAL_SERVICES });
    const out = join(fixture.dir, "backups");
    const udid = fixture.served.udid;
    const source = new IosTreeSource(fixture.home);
    const target = new BackupFolderTarget(join(out, udid));
    for await (const entry of source.entries())
      await target.put(entry, entry.kind === "file" ? await source.open(entry) : undefined);
    await target.commit(await source.device());
    const exported = await homeFiles(fixture.home);
    writeFileSync(join(fixture.home, "Library/AddressBook/AddressBook.sqlitedb"), "clobbered");

    // 1.3.0 refuses to restore without --skip-apps when Info.plist lists no Applications, as a
    // Cradle export (and a device without installation_proxy) has none.
    const restored = await idevicebackup2(fixture, [
      "restore",
      "--system",
      "--no-reboot",
      "--skip-apps",
      out,
    ]);
    expect(restored).toContain("Restore Successful");
    // Every exported file is back as it was; pairing since the export added a trusted-host record.
    const now = await homeFiles(fixture.home);
    expect(new Map([...now].filter(([path]) => exported.has(path)))).toEqual(exported);

    expect(await idevicebackup2(fixture, ["info", out])).toContain("SnapshotState: finished");
    expect(await idevicebackup2(fixture, ["list", out])).toContain(
      "HomeDomain,Library/AddressBook/AddressBook.sqlitedb,file,",
    );
    expect(fixture.errors).toEqual([]);
  });
});
