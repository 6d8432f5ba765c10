import { mkdtempSync, readdirSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BackupError } from "../../../src/adapters/backup-folder/errors.js";
import { showEndpoint } from "../../../src/api/show.js";
import { syncEndpoints } from "../../../src/api/sync.js";
import { createVirtualDevice } from "../../../src/device/virtual/create.js";
import { type MakeBackupOptions, makeBackup } from "../backup-folder/make-backup.js";

const CALENDAR = "Library/Calendar/Calendar.sqlitedb";

function deviceAndBackup(options: MakeBackupOptions = {}) {
  const root = mkdtempSync(join(tmpdir(), "cradle-cal-backup-"));
  const home = join(root, "device");
  createVirtualDevice(home, { sample: 0, events: 12, seed: "calendar-backup", icloud: ["calendars"] });
  const backup = makeBackup(home, join(root, "backup"), options);
  return { root, home, dir: backup.dir, files: backup.files };
}

describe("backup: calendars endpoint", () => {
  it("reads the events of a backup exactly as ios: reads the device, into a vdir, and never writes it", async () => {
    const { root, home, dir } = deviceAndBackup();
    const fromBackup = await showEndpoint("calendars", `backup:${dir}`);
    const fromDevice = await showEndpoint("calendars", `ios:${home}`);
    expect(fromBackup.items).toHaveLength(12);
    const shape = (items: typeof fromBackup.items) =>
      items.map((i) => [i.uid, i.label, i.fields.scalars.DTSTART]);
    expect(shape(fromBackup.items)).toEqual(shape(fromDevice.items));

    // iCloud syncs Calendars on the device, but a backup is only read: the guard lets it through.
    const endpoints = [`backup:${dir}`, `vdir:${join(root, "vdir")}`];
    const first = await syncEndpoints({ domain: "calendars", endpoints, stateFile: join(root, "s.sqlite") });
    expect(first.endpoints[1]?.created).toBe(12);
    expect(readdirSync(join(root, "vdir")).filter((f) => f.endsWith(".ics"))).toHaveLength(12);
  });

  it("names the backup and path when the backup holds no Calendar.sqlitedb, or something else there", async () => {
    const missing = deviceAndBackup({ omit: [CALENDAR] });
    const shown = showEndpoint("calendars", `backup:${missing.dir}`);
    await expect(shown).rejects.toBeInstanceOf(BackupError);
    await expect(shown).rejects.toThrow(`does not hold HomeDomain/${CALENDAR}`);

    const { dir, files } = deviceAndBackup();
    const accounts = files.get("Library/Accounts/Accounts3.sqlite") as string;
    const calendar = files.get(CALENDAR) as string;
    renameSync(join(dir, accounts.slice(0, 2), accounts), join(dir, calendar.slice(0, 2), calendar));
    await expect(showEndpoint("calendars", `backup:${dir}`)).rejects.toThrow(
      new RegExp(`backup:${dir} HomeDomain/${CALENDAR}: not an iOS Calendar database`),
    );
  });
});
