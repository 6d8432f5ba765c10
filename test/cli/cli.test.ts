import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** These tests run the built CLI (npm test builds before it runs vitest), as a user would. */
const MAIN = resolve("dist/cli/main.js");

function cradle(args: string[], home: string, cwd = home) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    cwd,
    env: { ...process.env, CRADLE_HOME: home, XDG_STATE_HOME: join(home, "xdg-should-not-be-used") },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function card(uid: string, fn: string, extra = ""): string {
  return `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${fn}\r\nN:${fn.split(" ").reverse().join(";")};;;\r\n${extra}UID:${uid}\r\nEND:VCARD\r\n`;
}

function setup(count: number) {
  const home = mkdtempSync(join(tmpdir(), "cradle-cli-"));
  const phone = join(home, "phone");
  const computer = join(home, "computer");
  mkdirSync(phone);
  mkdirSync(computer);
  for (let i = 0; i < count; i++)
    writeFileSync(join(phone, `c${i}.vcf`), card(`uid-${i}`, `Person ${i}`, `TEL:+49 30 ${i}\r\n`));
  return { home, phone, computer };
}

describe("cradle CLI (run npm run build first)", () => {
  it("prints help with exit codes, and exits 2 on bad usage", () => {
    const home = mkdtempSync(join(tmpdir(), "cradle-cli-"));
    const help = cradle(["--help"], home);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("EXIT STATUS");
    expect(cradle(["sync", "--help"], home).stdout).toContain("--prefer");
    expect(cradle(["frobnicate"], home).code).toBe(2);
    expect(cradle(["sync", "contacts", "vdir:only-one"], home).code).toBe(2);
    expect(cradle(["sync", "contacts", "nope:x", "vdir:y"], home).code).toBe(2);
    expect(cradle(["sync", "contacts", "vdir:a", "vdir:b", "--bogus"], home).code).toBe(2);
  });

  it("syncs with --json, keeps state under CRADLE_HOME at mode 0600 dirs, and is quiet the second time", () => {
    const { home, phone, computer } = setup(3);
    const first = cradle(["sync", "contacts", `vdir:${phone}`, `vdir:${computer}`, "--json"], home);
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.endpoints[1]).toMatchObject({
      uri: `vdir:${computer}`,
      created: 3,
      updated: 0,
      deleted: 0,
    });
    expect(report.conflicts).toEqual([]);
    expect(readdirSync(computer)).toHaveLength(3);
    const stateDir = join(home, "state");
    expect(readdirSync(stateDir).some((f) => f.startsWith("contacts-") && f.endsWith(".sqlite"))).toBe(true);
    expect(statSync(stateDir).mode & 0o077).toBe(0);
    for (const f of readdirSync(stateDir)) expect(statSync(join(stateDir, f)).mode & 0o077, f).toBe(0);
    expect(existsSync(join(home, "xdg-should-not-be-used"))).toBe(false);
    const second = JSON.parse(
      cradle(["sync", "contacts", `vdir:${phone}`, `vdir:${computer}`, "--json"], home).stdout,
    );
    for (const e of second.endpoints) expect(e.created + e.updated + e.deleted).toBe(0);
  });

  it("--dry-run writes nothing, not even state", () => {
    const { home, phone, computer } = setup(2);
    const dry = cradle(
      ["sync", "contacts", `vdir:${phone}`, `vdir:${computer}`, "--dry-run", "--json"],
      home,
    );
    expect(dry.code, dry.stderr).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report.dryRun).toBe(true);
    expect(report.plan).toHaveLength(2);
    expect(readdirSync(computer)).toHaveLength(0);
  });

  it("refuses with exit 4 when a side emptied, and --allow-empty lets it through", () => {
    const { home, phone, computer } = setup(4);
    expect(cradle(["sync", "contacts", `vdir:${phone}`, `vdir:${computer}`], home).code).toBe(0);
    rmSync(phone, { recursive: true });
    mkdirSync(phone);
    const refused = cradle(["sync", "contacts", `vdir:${phone}`, `vdir:${computer}`, "--json"], home);
    expect(refused.code).toBe(4);
    expect(JSON.parse(refused.stderr.trim())).toMatchObject({
      type: "error",
      code: "SafetyRefusal",
      exitCode: 4,
    });
    expect(readdirSync(computer)).toHaveLength(4);
    const allowed = cradle(["sync", "contacts", `vdir:${phone}`, `vdir:${computer}`, "--allow-empty"], home);
    expect(allowed.code).toBe(0);
    expect(readdirSync(computer)).toHaveLength(0);
  });

  it("reports a malformed vCard with file and line, syncs the rest and deletes it nowhere", () => {
    const { home, phone, computer } = setup(2);
    writeFileSync(
      join(phone, "broken.vcf"),
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nnot a property\r\nEND:VCARD\r\n",
    );
    const result = cradle(["sync", "contacts", `vdir:${phone}`, `vdir:${computer}`, "--json"], home);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0].where).toMatch(/broken\.vcf:\d+$/);
    expect(readdirSync(computer)).toHaveLength(2);
    expect(existsSync(join(phone, "broken.vcf"))).toBe(true);
  });

  it("show --json lists uid and fn; conflicts --json lists both values", () => {
    const { home, phone, computer } = setup(1);
    const eps = [`vdir:${phone}`, `vdir:${computer}`];
    expect(cradle(["sync", "contacts", ...eps], home).code).toBe(0);
    const shown = JSON.parse(cradle(["show", "contacts", `vdir:${computer}`, "--json"], home).stdout);
    expect(shown).toEqual([expect.objectContaining({ uid: "uid-0", fn: "Person 0" })]);
    const other = readdirSync(computer)[0] as string;
    writeFileSync(join(phone, "c0.vcf"), card("uid-0", "Person 0", "TEL:+49 30 0\r\nTITLE:Phone title\r\n"));
    writeFileSync(
      join(computer, other),
      card("uid-0", "Person 0", "TEL:+49 30 0\r\nTITLE:Computer title\r\n"),
    );
    const merged = cradle(["sync", "contacts", ...eps, "--prefer", `vdir:${phone}`, "--json"], home);
    expect(merged.code, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout).conflicts[0]).toMatchObject({ field: "TITLE", winner: `vdir:${phone}` });
    const conflicts = JSON.parse(cradle(["conflicts", "--json"], home).stdout);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0].values.map((v: { value: string }) => v.value).join(" ")).toMatch(
      /Phone title.*Computer title|Computer title.*Phone title/,
    );
  });

  it("syncs calendars from a file into a vdir, and show calendars --json lists uid and summary", () => {
    const home = mkdtempSync(join(tmpdir(), "cradle-cli-"));
    const ics = join(home, "work.ics");
    writeFileSync(
      ics,
      [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//EN",
        "BEGIN:VEVENT",
        "UID:standup@example.org",
        "DTSTAMP:20260101T000000Z",
        "DTSTART;TZID=Europe/Berlin:20260105T090000",
        "DURATION:PT15M",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "SUMMARY:Stand-up",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
      ].join("\r\n"),
    );
    const vdir = join(home, "calendar");
    const synced = cradle(["sync", "calendars", `file:${ics}`, `vdir:${vdir}`, "--json"], home);
    expect(synced.code, synced.stderr).toBe(0);
    expect(JSON.parse(synced.stdout).endpoints[1]).toMatchObject({ created: 1 });
    const shown = JSON.parse(cradle(["show", "calendars", `vdir:${vdir}`, "--json"], home).stdout);
    expect(shown).toEqual([
      expect.objectContaining({ uid: "standup@example.org", summary: "Stand-up", recurring: true }),
    ]);
    const again = JSON.parse(
      cradle(["sync", "calendars", `file:${ics}`, `vdir:${vdir}`, "--json"], home).stdout,
    );
    for (const e of again.endpoints) expect(e.created + e.updated + e.deleted).toBe(0);
  });

  it("says plainly that iCloud syncs a domain, exits 3 and writes nothing", () => {
    const home = mkdtempSync(join(tmpdir(), "cradle-cli-"));
    const device = join(home, "iphone");
    const created = cradle(
      ["device", "create", device, "--icloud", "contacts", "--sample", "3", "--json"],
      home,
    );
    expect(created.code, created.stderr).toBe(0);
    const out = join(home, "computer");
    const guarded = cradle(["sync", "contacts", `ios:${device}`, `vdir:${out}`, "--json"], home);
    expect(guarded.code).toBe(3);
    expect(JSON.parse(guarded.stdout)).toMatchObject({
      domain: "contacts",
      status: "disabled",
      reason: "icloud",
    });
    expect(existsSync(out)).toBe(false);
    const text = cradle(["sync", "contacts", `ios:${device}`, `vdir:${out}`], home);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/Settings > \[your name\] > iCloud > Contacts/);
    expect(cradle(["show", "contacts", `ios:${device}`, "--json"], home).code).toBe(0);
  });

  it("demo runs in ./cradle-demo and tells what merged and what conflicted", () => {
    const home = mkdtempSync(join(tmpdir(), "cradle-cli-"));
    const demo = cradle(["demo"], home);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(
      /merged "Anna Meyer" field by field: .*computer changed TITLE, NOTE; .*iphone changed NOTE, .*TEL/,
    );
    expect(demo.stdout).toMatch(/merged "Anna Meyer" NOTE as text/);
    expect(demo.stdout).toMatch(/conflict in "Ben Okafor" TITLE/);
    expect(demo.stdout).toMatch(/restored "Carla Rossi"/);
    expect(demo.stdout).toMatch(
      /merged "Team stand-up" field by field: .*iphone changed LOCATION, EXDATE .*; .*calendar changed DESCRIPTION/,
    );
    expect(demo.stdout).toMatch(
      /merged "Family 2024" field by field: .*iphone changed members; .*albums changed title/,
    );
    // The photo the iPhone added lands in the album the computer renamed: two photos, not one.
    const family = join(home, "cradle-demo", "albums", "Trips", "2024", "Family 2024");
    expect(readdirSync(family).filter((name) => name.endsWith(".JPG"))).toHaveLength(2);
    expect(
      existsSync(join(home, "cradle-demo", "iphone", "Library", "AddressBook", "AddressBook.sqlitedb")),
    ).toBe(true);
  });
});
