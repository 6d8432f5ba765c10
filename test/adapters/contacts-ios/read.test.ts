import type Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { readAddressBook } from "../../../src/adapters/contacts/ios/read.js";
import type { Contact } from "../../../src/adapters/contacts/model.js";
import { openFixture } from "./fixture.js";

let db: Database.Database | undefined;
afterEach(() => db?.close());

const byName = <T extends { contact: Contact }>(contacts: T[], fn: string): T => {
  const found = contacts.find((c) => c.contact.singles.FN?.values[0] === fn);
  if (!found) throw new Error(`no contact ${fn}`);
  return found;
};
const mains = (contact: Contact, name: string) =>
  contact.entries.filter((e) => e.props[0]?.name === name).map((e) => e.props[0]?.values[0]);
const companion = (contact: Contact, value: string, name: string) =>
  contact.entries.find((e) => e.props[0]?.values[0] === value)?.props.find((p) => p.name === name)?.values[0];

describe("readAddressBook on the iOS 15 fixture", () => {
  it("reads 9 contacts with their phones, emails, addresses and URLs", () => {
    ({ db } = openFixture());
    const { contacts, groups, errors } = readAddressBook(db);
    expect(errors).toEqual([]);
    expect(contacts).toHaveLength(9);
    expect(groups).toEqual([]);
    expect(contacts.map((c) => c.contact.singles.FN?.values[0])).toEqual([
      "This Is DFIR Two",
      "Apple Inc.",
      "This Is DFIR",
      "This DFIR",
      "Liz",
      "ThisIs DFIRThree",
      "Josh Hickman",
      "Thom De'Fer",
      "This Is DFIR Two",
    ]);

    const josh = byName(contacts, "Josh Hickman");
    expect(josh.contact.uid).toBe("122812EA-4A87-4D38-A4AD-3A08DCBFA3E4");
    expect(josh.contact.singles.N?.values[0]).toEqual(["Hickman", "Josh", "", "", ""]);
    expect(mains(josh.contact, "tel")).toEqual(["(919) 579-0479", "(919) 391-2507"]);
    expect(mains(josh.contact, "email")).toEqual(["joshuahickman957@gmail.com"]);

    const apple = byName(contacts, "Apple Inc.");
    expect(apple.contact.singles.ORG?.values[0]).toEqual(["Apple Inc."]);
    expect(apple.contact.singles["X-ABSHOWAS"]?.values[0]).toBe("COMPANY");
    expect(mains(apple.contact, "tel")).toEqual(["1-800-MY-APPLE"]);
    expect(mains(apple.contact, "adr")).toEqual([
      ["", "", "One Apple Park Way", "Cupertino", "CA", "95014", "United States"],
    ]);
    const adr = apple.contact.entries.find((e) => e.props[0]?.name === "adr");
    expect(adr?.props.map((p) => [p.name, p.values[0]])).toEqual([
      ["adr", ["", "", "One Apple Park Way", "Cupertino", "CA", "95014", "United States"]],
      ["x-abadr", "us"],
      ["x-ablabel", "_$!<Work>!$_"],
      ["x-cradle-ios-id", "0"],
    ]);
    expect(mains(apple.contact, "url")).toEqual(["http://www.apple.com"]);
    expect(companion(apple.contact, "http://www.apple.com", "x-ablabel")).toBe("_$!<HomePage>!$_");

    const all = contacts.map((c) => c.contact);
    expect(all.flatMap((c) => mains(c, "tel"))).toHaveLength(7);
    expect(all.flatMap((c) => mains(c, "email"))).toHaveLength(4);
    expect(all.flatMap((c) => mains(c, "adr"))).toHaveLength(1);
    expect(all.flatMap((c) => mains(c, "url"))).toHaveLength(1);
  });

  it("maps built-in labels to X-ABLabel plus TYPE, and custom labels to X-ABLabel alone", () => {
    ({ db } = openFixture());
    const josh = byName(readAddressBook(db).contacts, "Josh Hickman").contact;
    const [mobile, textNow, email] = josh.entries;
    expect(mobile?.props).toEqual([
      { name: "tel", params: { type: "cell" }, type: "text", values: ["(919) 579-0479"] },
      { name: "x-ablabel", params: {}, type: "unknown", values: ["_$!<Mobile>!$_"] },
      { name: "x-cradle-ios-id", params: {}, type: "unknown", values: ["0"] },
    ]);
    expect(textNow?.props).toEqual([
      { name: "tel", params: {}, type: "text", values: ["(919) 391-2507"] },
      { name: "x-ablabel", params: {}, type: "unknown", values: ["TextNow"] },
      { name: "x-cradle-ios-id", params: {}, type: "unknown", values: ["1"] },
    ]);
    // An unlabelled value has no X-ABLabel at all.
    expect(email?.props.map((p) => p.name)).toEqual(["email", "x-cradle-ios-id"]);
  });

  it("gives ModificationDate as Core Data seconds (2001 epoch)", () => {
    ({ db } = openFixture());
    const josh = byName(readAddressBook(db).contacts, "Josh Hickman");
    expect(josh.modified).toBe(704051995);
    expect(new Date((josh.modified + 978307200) * 1000).toISOString()).toBe("2023-04-24T17:59:55.000Z");
  });

  it("reads the rows that are still in the -wal (the main file alone holds fewer)", () => {
    ({ db } = openFixture());
    const count = db.prepare("SELECT count(*) AS n FROM ABPerson").get() as { n: number };
    expect(count.n).toBe(9);
  });
});
