import { readFileSync } from "node:fs";
import type Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { readAddressBook } from "../../../src/adapters/contacts/ios/read.js";
import { CORE_DATA_EPOCH } from "../../../src/adapters/contacts/ios/schema.js";
import { writeContact } from "../../../src/adapters/contacts/ios/write.js";
import { parseVCards, serializeVCard } from "../../../src/adapters/contacts/vcard.js";
import { contactAt, openFixture, snapshot, tableRows } from "./fixture.js";

let db: Database.Database | undefined;
afterEach(() => db?.close());

const NOW = new Date("2026-01-02T03:04:05Z");
const JOSH = 7;

describe("writeContact with nothing to change", () => {
  it("writes nothing when every contact is written back unchanged", () => {
    let path: string;
    ({ db, path } = openFixture());
    const before = snapshot(db);
    const wal = readFileSync(`${path}-wal`);
    for (const { rowid, contact } of readAddressBook(db).contacts) {
      expect(writeContact(db, contact, rowid, { now: NOW })).toEqual({ rowid, changed: false });
    }
    expect(snapshot(db)).toEqual(before);
    expect(readFileSync(`${path}-wal`).equals(wal)).toBe(true);
  });

  it("writes nothing when labels come as TYPE only and the identifiers are gone", () => {
    ({ db } = openFixture());
    const before = tableRows(db, "ABMultiValue");
    const josh = structuredClone(contactAt(db, JOSH).contact);
    // As a vCard peer without Apple's companions would send it back.
    josh.entries = josh.entries.map((e) => ({
      props: e.props.filter(
        (p) => p.name !== "x-cradle-ios-id" && !(p.name === "x-ablabel" && p.values[0] === "_$!<Mobile>!$_"),
      ),
    }));
    expect(writeContact(db, josh, JOSH, { now: NOW }).changed).toBe(false);
    expect(tableRows(db, "ABMultiValue")).toEqual(before);
  });

  it("writes nothing for contacts that went through vCard 3.0 and 4.0 text and back", () => {
    ({ db } = openFixture());
    const before = snapshot(db);
    for (const version of ["3.0", "4.0"] as const) {
      for (const { rowid, contact } of readAddressBook(db).contacts) {
        const text = serializeVCard(contact, version);
        const parsed = parseVCards(text, "x.vcf").cards[0]?.contact;
        if (!parsed) throw new Error(`unparseable:\n${text}`);
        expect(writeContact(db, parsed, rowid, { now: NOW }), text).toEqual({ rowid, changed: false });
      }
    }
    expect(snapshot(db)).toEqual(before);
  });

  it("writes nothing when stored dates are at another time of day than Cradle's noon", () => {
    ({ db } = openFixture());
    const midnight = String(Date.UTC(1980, 3, 15) / 1000 - CORE_DATA_EPOCH);
    db.prepare("UPDATE ABPerson SET Birthday = ? WHERE ROWID = 7").run(midnight);
    db.prepare("INSERT INTO ABMultiValue(record_id, property, identifier, value) VALUES (7, 12, 0, ?)").run(
      midnight,
    );
    const before = snapshot(db);
    const josh = contactAt(db, JOSH).contact;
    expect(josh.singles.BDAY?.values[0]).toBe("1980-04-15");
    expect(writeContact(db, josh, JOSH, { now: NOW }).changed).toBe(false);
    expect(snapshot(db)).toEqual(before);
  });
});
