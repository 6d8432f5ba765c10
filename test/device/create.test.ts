import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readAddressBook } from "../../src/adapters/contacts/ios/read.js";
import { openAddressBook, Property } from "../../src/adapters/contacts/ios/schema.js";
import type { Domain } from "../../src/core/endpoint.js";
import { createVirtualDevice, DeviceError, parseIcloudDomains } from "../../src/device/virtual/create.js";
import { readLockdownValues } from "../../src/device/virtual/identity.js";
import { devicePath } from "../../src/device/virtual/layout.js";
import { cloudGuard } from "../../src/guard/guard.js";

const fresh = () => join(mkdtempSync(join(tmpdir(), "cradle-device-")), "phone");

function contactsOf(dir: string) {
  const db = openAddressBook(devicePath(dir, "addressBook"), { readonly: true });
  try {
    return readAddressBook(db);
  } finally {
    db.close();
  }
}

const guardSays = (dir: string) =>
  Object.fromEntries(
    (["contacts", "calendars", "photos"] as Domain[]).map((d) => [
      d,
      cloudGuard(devicePath(dir, "accounts"), d, "test").enabled,
    ]),
  );

const digest = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("cradle device create", () => {
  it("enables exactly the --icloud data classes, which the guard then refuses", () => {
    const dir = fresh();
    createVirtualDevice(dir, { icloud: ["contacts"] });
    expect(guardSays(dir)).toEqual({ contacts: false, calendars: true, photos: true });

    const all = fresh();
    createVirtualDevice(all, { icloud: parseIcloudDomains("photos,calendars,contacts") });
    expect(guardSays(all)).toEqual({ contacts: false, calendars: false, photos: false });
  });

  it("leaves every domain to cable sync without --icloud", () => {
    const dir = fresh();
    createVirtualDevice(dir);
    expect(guardSays(dir)).toEqual({ contacts: true, calendars: true, photos: true });
  });

  it("writes the sample contacts with phones, e-mails, built-in and custom labels, addresses and birthdays", () => {
    const dir = fresh();
    const created = createVirtualDevice(dir, { sample: 40, seed: "labels" });
    expect(created.contacts).toBe(40);
    const { contacts, errors } = contactsOf(dir);
    expect(errors).toEqual([]);
    expect(contacts).toHaveLength(40);

    const entries = contacts.flatMap((c) => c.contact.entries);
    const names = (name: string) => entries.filter((e) => e.props[0]?.name === name);
    const labels = entries.flatMap((e) =>
      e.props.filter((p) => p.name === "x-ablabel").map((p) => p.values[0]),
    );
    expect(
      contacts.every(
        (c) => names("tel").length > 0 && c.contact.entries.some((e) => e.props[0]?.name === "tel"),
      ),
    ).toBe(true);
    expect(names("email").length).toBeGreaterThan(20);
    expect(names("adr").length).toBeGreaterThan(5);
    expect(labels).toContain("_$!<Mobile>!$_");
    expect(labels.some((l) => typeof l === "string" && !l.startsWith("_$!<"))).toBe(true);
    const birthdays = contacts.map((c) => c.contact.singles.BDAY?.values[0]).filter(Boolean);
    expect(birthdays.some((b) => String(b).startsWith("--"))).toBe(true);
    expect(birthdays.some((b) => /^\d{4}-/.test(String(b)))).toBe(true);
    expect(contacts.some((c) => c.contact.note !== "")).toBe(true);

    // The rows are those of an iOS AddressBook: labels interned, phones indexed by their last digits.
    const db = openAddressBook(devicePath(dir, "addressBook"), { readonly: true });
    try {
      const phones = db
        .prepare("SELECT count(*) FROM ABMultiValue WHERE property = ?")
        .pluck()
        .get(Property.phone);
      expect(db.prepare("SELECT count(*) FROM ABPhoneLastFour").pluck().get()).toBe(phones);
      expect(db.prepare("SELECT count(*) FROM ABPersonChanges").pluck().get()).toBe(40);
      expect(
        db.prepare("SELECT sql FROM sqlite_master WHERE name = 'ABPersonFullTextSearch'").pluck().get(),
      ).toContain("tokenize=ab_cf_tokenizer");
    } finally {
      db.close();
    }
  });

  it("gives the same device for the same seed, and another for another seed", () => {
    const [a, b, c] = [fresh(), fresh(), fresh()];
    const first = createVirtualDevice(a, { seed: "42", icloud: ["calendars"] });
    const again = createVirtualDevice(b, { seed: "42", icloud: ["calendars"] });
    const other = createVirtualDevice(c, { seed: "43", icloud: ["calendars"] });

    expect(again.udid).toBe(first.udid);
    expect(first.udid).toMatch(/^[0-9a-f]{40}$/);
    expect(other.udid).not.toBe(first.udid);
    expect(contactsOf(b)).toEqual(contactsOf(a));
    expect(contactsOf(c).contacts.map((s) => s.contact)).not.toEqual(
      contactsOf(a).contacts.map((s) => s.contact),
    );
    for (const store of ["addressBook", "accounts", "lockdownValues"] as const)
      expect(digest(devicePath(b, store)), store).toBe(digest(devicePath(a, store)));
  });

  it("writes the lockdown values, and refuses a folder that is not empty", () => {
    const dir = fresh();
    createVirtualDevice(dir, { name: "Ada's iPhone", seed: "id" });
    const values = readLockdownValues(devicePath(dir, "lockdownValues"));
    expect(values).toMatchObject({
      DeviceName: "Ada's iPhone",
      DeviceClass: "iPhone",
      ProductType: "iPhone15,2",
      ProductVersion: "18.1",
      BuildVersion: "22B83",
    });
    expect(values?.UniqueDeviceID).toMatch(/^[0-9a-f]{40}$/);
    expect(values?.SerialNumber).toMatch(/^[0-9A-Z]{10}$/);
    expect(() => createVirtualDevice(dir)).toThrow(DeviceError);
  });

  it("rejects unknown --icloud domains and bad --sample values as usage errors", () => {
    expect(() => parseIcloudDomains("contacts,mail")).toThrow(/mail/);
    expect(parseIcloudDomains("")).toEqual([]);
    expect(() => createVirtualDevice(fresh(), { sample: -1 })).toThrow(
      expect.objectContaining({ exitCode: 2 }),
    );
  });
});
