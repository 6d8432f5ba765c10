import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { syncEndpoints } from "../../src/api/sync.js";

it("copies CREATED and LAST-MODIFIED with the event, and stamps DTSTAMP anew", async () => {
  const root = mkdtempSync(join(tmpdir(), "cradle-stamps-"));
  const ics = join(root, "cal.ics");
  writeFileSync(
    ics,
    [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//test//EN",
      "BEGIN:VEVENT",
      "UID:stamped@example.org",
      "DTSTAMP:20200101T000000Z",
      "CREATED:20190505T101010Z",
      "LAST-MODIFIED:20191212T121212Z",
      "DTSTART:20260301T100000Z",
      "SUMMARY:Stamped",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ].join("\r\n"),
  );
  const vdir = join(root, "v");
  const eps = [`file:${ics}`, `vdir:${vdir}`];
  await syncEndpoints({ domain: "calendars", endpoints: eps, stateFile: join(root, "s.sqlite") });
  const copy = readFileSync(join(vdir, readdirSync(vdir)[0] as string), "utf8");
  expect(copy).toContain("CREATED:20190505T101010Z");
  expect(copy).toContain("LAST-MODIFIED:20191212T121212Z");
  expect(copy).not.toContain("DTSTAMP:20200101T000000Z");
  const again = await syncEndpoints({
    domain: "calendars",
    endpoints: eps,
    stateFile: join(root, "s.sqlite"),
  });
  expect(again.endpoints.map((e) => e.created + e.updated + e.deleted)).toEqual([0, 0]);
  expect(again.conflicts).toEqual([]);
});
