/** ical.js' own test/parser pairs: our line reader must give the jCal ical.js expects, and grouping must lose nothing. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCalendar } from "../../../src/adapters/calendars/ical.js";
import { readComponents } from "../../../src/adapters/calendars/ical-lines.js";
import { toJCal } from "../../../src/adapters/calendars/ical-zones.js";
import type { ICalComponent } from "../../../src/adapters/calendars/model.js";
import { FIXTURES } from "./corpus.js";

const DIR = join(FIXTURES, "icaljs/parser");
const PAIRS = readdirSync(DIR)
  .filter((f) => f.endsWith(".ics"))
  .sort();

type JCal = [string, unknown[], unknown[]];
const expected = (name: string) => {
  const json = JSON.parse(readFileSync(join(DIR, name.replace(/\.ics$/, ".json")), "utf8")) as JCal | JCal[];
  return typeof json[0] === "string" ? [json as JCal] : (json as JCal[]);
};
/** JSON has no NaN: ical.js' expected files hold null for an unreadable float or integer. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe("ical.js parser oracle", () => {
  it("has the 21 iCalendar pairs", () => {
    expect(PAIRS).toHaveLength(21);
  });

  it.each(PAIRS)("%s reads as ical.js' expected jCal", (name) => {
    const { roots, stray } = readComponents(readFileSync(join(DIR, name), "utf8"));
    expect(stray).toEqual([]);
    expect(asJson(roots.map(toJCal))).toEqual(expected(name));
  });

  it.each(PAIRS)("%s: objects and header together hold every component and property", (name) => {
    const parsed = parseCalendar(readFileSync(join(DIR, name), "utf8"), name);
    expect(parsed.errors).toEqual([]);
    const parts = parsed.objects.flatMap((o) => [
      ...(o.master ? [o.master] : []),
      ...Object.values(o.overrides),
      ...Object.values(o.timezones),
    ]);
    const ours = [...parts, ...parsed.header.components].map((c: ICalComponent) =>
      JSON.stringify(asJson(toJCal(c))),
    );
    const roots = expected(name);
    const theirs = roots.flatMap((root) => root[2].map((c) => JSON.stringify(c)));
    expect(ours.sort()).toEqual(theirs.sort());
    // Calendar properties: the first VCALENDAR's (a many-VCALENDAR text is merged into one).
    const first = (roots[0]?.[1] ?? []) as unknown[][];
    const props = parsed.header.props.map((p) => [p.name, p.params, p.type, ...p.values]);
    expect(asJson(props)).toEqual(first.filter((p) => p[0] !== "version"));
  });
});
