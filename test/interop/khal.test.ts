/**
 * khal (Debian package `khal`) reads the vdir Cradle writes: a calendar file synced into a vdir
 * shows its recurring series with the override in place of its instance, an all-day event and a
 * Europe/Berlin timed event, at the local times the file gives, across the March DST change; an
 * edit synced later shows up too. The virtual iPhone's Calendar.sqlitedb, synced through ios:,
 * reads the same way.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { syncEndpoints } from "../../src/api/sync.js";
import { createVirtualDevice } from "../../src/device/virtual/create.js";
import { withPeer } from "./peer.js";

const CALENDAR = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//Test//Cradle khal//EN",
  "BEGIN:VEVENT",
  "UID:team-sync@cradle",
  "DTSTAMP:20260101T000000Z",
  "DTSTART;TZID=Europe/Berlin:20260316T100000",
  "DTEND;TZID=Europe/Berlin:20260316T110000",
  "RRULE:FREQ=WEEKLY;COUNT=4",
  "SUMMARY:Team sync",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:team-sync@cradle",
  "DTSTAMP:20260101T000000Z",
  "RECURRENCE-ID;TZID=Europe/Berlin:20260323T100000",
  "DTSTART;TZID=Europe/Berlin:20260323T140000",
  "DTEND;TZID=Europe/Berlin:20260323T150000",
  "SUMMARY:Team sync (moved)",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:holiday@cradle",
  "DTSTAMP:20260101T000000Z",
  "DTSTART;VALUE=DATE:20260501",
  "DTEND;VALUE=DATE:20260502",
  "SUMMARY:Labour Day",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:dentist@cradle",
  "DTSTAMP:20260101T000000Z",
  "DTSTART;TZID=Europe/Berlin:20260715T083000",
  "DTEND;TZID=Europe/Berlin:20260715T090000",
  "SUMMARY:Dentist",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

function khalConfig(dir: string, vdir: string): string {
  const path = join(dir, "khal.conf");
  writeFileSync(
    path,
    [
      "[calendars]",
      "[[cradle]]",
      `path = ${vdir}`,
      "type = calendar",
      "",
      "[locale]",
      "timeformat = %H:%M",
      "dateformat = %Y-%m-%d",
      "longdateformat = %Y-%m-%d",
      "datetimeformat = %Y-%m-%d %H:%M",
      "longdatetimeformat = %Y-%m-%d %H:%M",
      "default_timezone = Europe/Berlin",
      "local_timezone = Europe/Berlin",
      "",
      "[sqlite]",
      `path = ${join(dir, "khal.db")}`,
      "",
    ].join("\n"),
  );
  return path;
}

/** `khal list` over two years from 2026-01-01, one "title|start" line per event instance. */
function khalList(dir: string, config: string): string[] {
  const env = {
    ...process.env,
    HOME: dir,
    XDG_CONFIG_HOME: dir,
    XDG_DATA_HOME: dir,
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
  };
  const out = execFileSync(
    "khal",
    ["-c", config, "list", "--format", "{title}|{start}", "--day-format", "", "2026-01-01", "730d"],
    { env, encoding: "utf8" },
  );
  return out.split("\n").filter((line) => line.includes("|"));
}

describe("khal reads the vdir Cradle writes", () => {
  withPeer("khal", "khal")(
    "lists the series with its override, the all-day and the Berlin event",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "cradle-khal-"));
      const file = join(dir, "export.ics");
      const vdir = join(dir, "calendar");
      writeFileSync(file, CALENDAR);
      const sync = () =>
        syncEndpoints({
          domain: "calendars",
          endpoints: [`file:${file}`, `vdir:${vdir}`],
          stateFile: join(dir, "state.sqlite"),
        });
      const first = await sync();
      expect(first.skipped).toEqual([]);
      expect(first.endpoints.map((e) => e.created)).toEqual([0, 3]);
      expect(readdirSync(vdir).sort()).toEqual([
        "dentist@cradle.ics",
        "holiday@cradle.ics",
        "team-sync@cradle.ics",
      ]);

      const config = khalConfig(dir, vdir);
      const lines = khalList(dir, config);
      expect(lines).toEqual([
        "Team sync|2026-03-16 10:00",
        "Team sync (moved)|2026-03-23 14:00",
        // Past the DST change of 29 March: still 10:00 Berlin time.
        "Team sync|2026-03-30 10:00",
        "Team sync|2026-04-06 10:00",
        "Labour Day|2026-05-01",
        "Dentist|2026-07-15 08:30",
      ]);

      // An edit made in the calendar file reaches khal through the next sync.
      writeFileSync(file, CALENDAR.replace("SUMMARY:Dentist", "SUMMARY:Dentist (check-up)"));
      const second = await sync();
      expect(second.endpoints.map((e) => e.updated)).toEqual([0, 1]);
      expect(readFileSync(join(vdir, "dentist@cradle.ics"), "utf8")).toContain("SEQUENCE:1");
      expect(khalList(dir, config)).toContain("Dentist (check-up)|2026-07-15 08:30");
    },
  );

  withPeer("khal", "khal")(
    "lists the virtual iPhone's series from Calendar.sqlitedb without its cancelled instance and with the moved one",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "cradle-khal-ios-"));
      const phone = join(dir, "phone");
      const vdir = join(dir, "calendar");
      createVirtualDevice(phone, { sample: 0, events: 3, seed: "khal" });
      const report = await syncEndpoints({
        domain: "calendars",
        endpoints: [`ios:${phone}`, `vdir:${vdir}`],
        stateFile: join(dir, "state.sqlite"),
      });
      expect(report.endpoints[1]?.created).toBe(3);

      const lines = khalList(dir, khalConfig(dir, vdir));
      // The sample series: 12 Mondays at 09:30 Berlin time, the third cancelled, the fourth at 10:30.
      const standUps = lines.filter((l) => l.startsWith("Team stand-up|"));
      expect(standUps).toHaveLength(10);
      expect(standUps.every((l) => l.endsWith(" 09:30"))).toBe(true);
      const moved = lines.filter((l) => l.startsWith("Team stand-up (moved)|"));
      expect(moved).toHaveLength(1);
      expect(moved[0]).toMatch(/ 10:30$/);
      // The all-day sample shows as dates without a time.
      expect(lines.some((l) => /\|\d{4}-\d\d-\d\d$/.test(l))).toBe(true);
    },
  );
});
