import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { syncEndpoints } from "../../src/api/sync.js";

const ICS = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//test//EN",
  "X-WR-CALNAME:Work",
  "X-APPLE-CALENDAR-COLOR:#FF2968",
  "BEGIN:VEVENT",
  "UID:meta@example.org",
  "DTSTAMP:20260101T000000Z",
  "DTSTART:20260301T100000Z",
  "SUMMARY:Kick-off",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

it("carries a calendar's name and colour to sides that have none, and overwrites none", async () => {
  const root = mkdtempSync(join(tmpdir(), "cradle-meta-"));
  const ics = join(root, "work.ics");
  writeFileSync(ics, ICS);
  const vdir = join(root, "work");
  const named = join(root, "named");
  mkdirSync(named);
  writeFileSync(join(named, "displayname"), "Mine\n");
  const report = await syncEndpoints({
    domain: "calendars",
    endpoints: [`file:${ics}`, `vdir:${vdir}`, `vdir:${named}`],
    stateFile: join(root, "s.sqlite"),
  });
  expect(readFileSync(join(vdir, "displayname"), "utf8").trim()).toBe("Work");
  expect(readFileSync(join(vdir, "color"), "utf8").trim()).toBe("#FF2968");
  expect(readFileSync(join(named, "displayname"), "utf8").trim()).toBe("Mine");
  expect(readFileSync(join(named, "color"), "utf8").trim()).toBe("#FF2968");
  expect(report.collections.map((c) => c.endpoint)).toEqual([`vdir:${vdir}`, `vdir:${named}`]);

  const exported = join(root, "export.ics");
  await syncEndpoints({
    domain: "calendars",
    endpoints: [`vdir:${vdir}`, `file:${exported}`],
    stateFile: join(root, "s2.sqlite"),
  });
  const text = readFileSync(exported, "utf8");
  expect(text).toContain("X-WR-CALNAME:Work");
  expect(text).toContain("SUMMARY:Kick-off");
});
