import type Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { readAddressBook } from "../../../src/adapters/contacts/ios/read.js";
import { CORE_DATA_EPOCH } from "../../../src/adapters/contacts/ios/schema.js";
import { writeContact } from "../../../src/adapters/contacts/ios/write.js";
import type { Contact, ContactEntry } from "../../../src/adapters/contacts/model.js";
import { contactAt, integrityProblems, openFixture } from "./fixture.js";

let db: Database.Database | undefined;
afterEach(() => db?.close());

const NOW = new Date("2026-01-02T03:04:05Z");
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000) - CORE_DATA_EPOCH;
const JOSH = 7;

const text = (
  name: string,
  value: unknown,
  params: ContactEntry["props"][number]["params"] = {},
  type = "text",
) => ({
  name,
  params,
  type,
  values: [value],
});
const mains = (contact: Contact, name: string) =>
  contact.entries.filter((e) => e.props[0]?.name === name).map((e) => e.props[0]?.values[0]);

describe("writeContact", () => {
  it("updates a phone and adds an email in place; other rows stay untouched", () => {
    ({ db } = openFixture());
    const before = readAddressBook(db).contacts;
    const josh = structuredClone(contactAt(db, JOSH).contact);
    const mobile = josh.entries[0]?.props[0];
    if (!mobile) throw new Error("no phone");
    mobile.values = ["(919) 555-0100"];
    josh.entries.push({ props: [text("email", "josh@example.org", { type: "work" })] });
    const phoneRow = db
      .prepare("SELECT UID, guid FROM ABMultiValue WHERE record_id = 7 AND identifier = 0 AND property = 3")
      .get();

    expect(writeContact(db, josh, JOSH, { now: NOW })).toEqual({ rowid: JOSH, changed: true });

    const after = readAddressBook(db).contacts;
    const joshAfter = after.find((c) => c.rowid === JOSH);
    expect(mains(joshAfter?.contact as Contact, "tel")).toEqual(["(919) 555-0100", "(919) 391-2507"]);
    expect(mains(joshAfter?.contact as Contact, "email")).toEqual([
      "joshuahickman957@gmail.com",
      "josh@example.org",
    ]);
    expect(joshAfter?.modified).toBe(NOW_SECONDS);
    expect(joshAfter?.modified).toBeGreaterThan(704051995);
    expect(after.filter((c) => c.rowid !== JOSH)).toEqual(before.filter((c) => c.rowid !== JOSH));

    // The changed number kept its row; the new email got the next identifier and the Work label.
    expect(
      db
        .prepare("SELECT UID, guid FROM ABMultiValue WHERE record_id = 7 AND identifier = 0 AND property = 3")
        .get(),
    ).toEqual(phoneRow);
    expect(
      db
        .prepare(`SELECT m.identifier, l.value AS label FROM ABMultiValue m LEFT JOIN ABMultiValueLabel l ON l.ROWID = m.label
        WHERE record_id = 7 AND property = 4 ORDER BY identifier`)
        .all(),
    ).toEqual([
      { identifier: 0, label: null },
      { identifier: 1, label: "_$!<Work>!$_" },
    ]);
    expect(db.prepare("SELECT value FROM ABPhoneLastFour WHERE multivalue_id = 8").get()).toEqual({
      value: "0100",
    });

    // Change log: the next sequence number, who saved, and an update row for the person.
    expect(
      db.prepare("SELECT value FROM _SqliteDatabaseProperties WHERE key = '__CPRecordSequenceNumber'").get(),
    ).toEqual({ value: "163" });
    expect(
      db.prepare("SELECT client_identifier FROM ClientSequence WHERE sequence_number = 163").get(),
    ).toEqual({ client_identifier: "org.cradle.sync" });
    expect(
      db.prepare("SELECT record, type, StoreID, guid FROM ABPersonChanges WHERE sequence_number = 163").all(),
    ).toEqual([{ record: JOSH, type: 1, StoreID: 2, guid: "122812EA-4A87-4D38-A4AD-3A08DCBFA3E4" }]);
    expect(integrityProblems(db)).toEqual([]);
  });

  it("records a removed value in ABPersonMultiValueDeletes", () => {
    ({ db } = openFixture());
    const josh = structuredClone(contactAt(db, JOSH).contact);
    josh.entries = josh.entries.filter((e) => e.props[0]?.values[0] !== "(919) 391-2507");
    writeContact(db, josh, JOSH, { now: NOW });
    expect(db.prepare("SELECT * FROM ABPersonMultiValueDeletes").all()).toEqual([
      {
        record_id: JOSH,
        property_id: 3,
        identifier: 1,
        sequence_number: 163,
        record_uid: "122812EA-4A87-4D38-A4AD-3A08DCBFA3E4",
        identifier_uid: "97EB0AB1-D6B3-4AF0-A78D-928005C20703",
      },
    ]);
    expect(db.prepare("SELECT * FROM ABPhoneLastFour WHERE multivalue_id = 9").get()).toBeUndefined();
  });

  it("creates a contact that reads back, with rows shaped like the fixture's own", () => {
    ({ db } = openFixture());
    const contact: Contact = {
      uid: "",
      version: "3.0",
      singles: {
        N: text("n", ["Lovelace", "Ada", "", "", ""]),
        ORG: text("org", ["Analytical Engines", "Research"]),
        TITLE: text("title", "Programmer"),
        BDAY: text("bday", "1815-12-10", {}, "date-and-or-time"),
      },
      note: "First program.",
      entries: [
        { props: [text("tel", "+44 20 7946 0000", { type: "cell" })] },
        { props: [text("tel", "020 7946 0001"), text("x-ablabel", "Burner", {}, "unknown")] },
        { props: [text("email", "ada@example.org", { type: "home" })] },
        {
          props: [
            text("adr", ["", "", "12 St James's Square", "London", "", "SW1Y 4JH", "United Kingdom"], {
              type: "home",
            }),
            text("x-abadr", "gb", {}, "unknown"),
          ],
        },
        { props: [text("url", "https://example.org/ada", {}, "uri")] },
      ],
    };
    const { rowid, changed } = writeContact(db, contact, undefined, { now: NOW });
    expect(changed).toBe(true);
    expect(rowid).toBe(10);

    const read = contactAt(db, rowid);
    expect(read.modified).toBe(NOW_SECONDS);
    expect(read.contact.singles.FN?.values[0]).toBe("Ada Lovelace");
    expect(read.contact.singles.ORG?.values[0]).toEqual(["Analytical Engines", "Research"]);
    expect(read.contact.singles.BDAY?.values[0]).toBe("1815-12-10");
    expect(read.contact.note).toBe("First program.");
    expect(read.contact.entries.map((e) => e.props.map((p) => [p.name, p.values[0]]))).toEqual([
      [
        ["tel", "+44 20 7946 0000"],
        ["x-ablabel", "_$!<Mobile>!$_"],
        ["x-cradle-ios-id", "0"],
      ],
      [
        ["tel", "020 7946 0001"],
        ["x-ablabel", "Burner"],
        ["x-cradle-ios-id", "1"],
      ],
      [
        ["email", "ada@example.org"],
        ["x-ablabel", "_$!<Home>!$_"],
        ["x-cradle-ios-id", "0"],
      ],
      [
        ["adr", ["", "", "12 St James's Square", "London", "", "SW1Y 4JH", "United Kingdom"]],
        ["x-abadr", "gb"],
        ["x-ablabel", "_$!<Home>!$_"],
        ["x-cradle-ios-id", "0"],
      ],
      [
        ["url", "https://example.org/ada"],
        ["x-cradle-ios-id", "0"],
      ],
    ]);

    const person = db
      .prepare(
        "SELECT CreationDate, ModificationDate, StoreID, PersonLink, IsPreferredName, guid FROM ABPerson WHERE ROWID = ?",
      )
      .get(rowid) as Record<string, unknown>;
    expect(person).toMatchObject({
      CreationDate: NOW_SECONDS,
      ModificationDate: NOW_SECONDS,
      StoreID: 1,
      PersonLink: -1,
      IsPreferredName: 1,
    });
    expect(person.guid).toMatch(/^[0-9A-F-]{36}$/);
    expect(read.contact.uid).toBe(person.guid);
    // Same shape as Apple's rows: an address has a NULL value and its parts in ABMultiValueEntry.
    const rows = db
      .prepare(
        "SELECT property, identifier, value IS NULL AS nullValue, guid FROM ABMultiValue WHERE record_id = ? ORDER BY UID",
      )
      .all(rowid) as { guid: string }[];
    expect(rows.map(({ guid, ...r }) => r)).toEqual([
      { property: 3, identifier: 0, nullValue: 0 },
      { property: 3, identifier: 1, nullValue: 0 },
      { property: 4, identifier: 0, nullValue: 0 },
      { property: 5, identifier: 0, nullValue: 1 },
      { property: 22, identifier: 0, nullValue: 0 },
    ]);
    expect(rows.every((r) => /^[0-9A-F-]{36}$/.test(r.guid))).toBe(true);
    expect(db.prepare("SELECT ROWID AS id FROM ABMultiValueLabel WHERE value = 'Burner'").get()).toEqual({
      id: 7,
    });
    expect(
      db.prepare("SELECT type, sequence_number FROM ABPersonChanges WHERE record = ?").all(rowid),
    ).toEqual([{ type: 0, sequence_number: 163 }]);
    expect(integrityProblems(db)).toEqual([]);
  });

  it("keeps the contact's UID as guid when it is free", () => {
    ({ db } = openFixture());
    const contact: Contact = {
      uid: "urn:uuid:cradle-1",
      version: "4.0",
      singles: { FN: text("fn", "Solo") },
      note: "",
      entries: [],
    };
    const { rowid } = writeContact(db, contact, undefined, { now: NOW });
    const read = contactAt(db, rowid);
    expect(read.contact.uid).toBe("urn:uuid:cradle-1");
    expect(read.contact.singles.N?.values[0]).toEqual(["", "Solo", "", "", ""]);
  });

  it("stores birthdays and dates in Core Data seconds, year-less ones in 1604", () => {
    ({ db } = openFixture());
    const josh = structuredClone(contactAt(db, JOSH).contact);
    josh.singles.BDAY = text("bday", "--04-15", {}, "date-and-or-time");
    josh.entries.push({
      props: [
        text("x-abdate", "2010-06-01", {}, "date-and-or-time"),
        text("x-ablabel", "_$!<Anniversary>!$_", {}, "unknown"),
      ],
    });
    writeContact(db, josh, JOSH, { now: NOW });
    const birthday = db.prepare("SELECT Birthday FROM ABPerson WHERE ROWID = 7").get() as {
      Birthday: string;
    };
    expect(Number(birthday.Birthday)).toBe(Date.UTC(1604, 3, 15, 12) / 1000 - CORE_DATA_EPOCH);
    const date = db.prepare("SELECT value FROM ABMultiValue WHERE record_id = 7 AND property = 12").get() as {
      value: string;
    };
    expect(Number(date.value)).toBe(Date.UTC(2010, 5, 1, 12) / 1000 - CORE_DATA_EPOCH);
    const read = contactAt(db, JOSH).contact;
    expect(read.singles.BDAY?.values[0]).toBe("--04-15");
    expect(mains(read, "x-abdate")).toEqual(["2010-06-01"]);
  });

  it("deletes a person with its values, and logs the delete for the CardDAV daemon", () => {
    ({ db } = openFixture());
    expect(writeContact(db, null, JOSH, { now: NOW })).toEqual({ rowid: JOSH, changed: true });
    const { contacts } = readAddressBook(db);
    expect(contacts).toHaveLength(8);
    expect(contacts.some((c) => c.rowid === JOSH)).toBe(false);
    expect(db.prepare("SELECT count(*) AS n FROM ABMultiValue WHERE record_id = 7").get()).toEqual({ n: 0 });
    expect(
      db.prepare("SELECT count(*) AS n FROM ABPhoneLastFour WHERE multivalue_id IN (8, 9)").get(),
    ).toEqual({ n: 0 });
    expect(
      db.prepare("SELECT type, ExternalIdentifier FROM ABPersonChanges WHERE sequence_number = 163").all(),
    ).toEqual([
      {
        type: 2,
        ExternalIdentifier: "/carddav/v1/principals/thisisdfir%40gmail.com/lists/default/3cc08bd7881e9996",
      },
    ]);
    expect(() => writeContact(db as Database.Database, null, JOSH)).toThrow(/no ABPerson with ROWID 7/);
  });
});
