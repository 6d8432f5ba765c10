import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { showEndpoint } from "../../src/api/show.js";
import { syncEndpoints } from "../../src/api/sync.js";
import { GuardedError } from "../../src/merge/errors.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "ios");

/** An iOS home tree (Library/AddressBook, Library/Accounts) built from the iLEAPP fixtures. */
function iosHome(accounts: "josh" | "belkasoft"): string {
  const home = mkdtempSync(join(tmpdir(), "cradle-ios-"));
  const book = join(home, "Library", "AddressBook");
  const acct = join(home, "Library", "Accounts");
  mkdirSync(book, { recursive: true });
  mkdirSync(acct, { recursive: true });
  for (const f of readdirSync(join(FIXTURES, "addressbook")).filter((f) =>
    f.startsWith("AddressBook.sqlitedb"),
  ))
    cpSync(join(FIXTURES, "addressbook", f), join(book, f));
  for (const f of readdirSync(join(FIXTURES, "accounts", accounts)).filter((f) => f.startsWith("Accounts3")))
    cpSync(join(FIXTURES, "accounts", accounts, f), join(acct, f));
  return home;
}

const digest = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("ios: contacts endpoint", () => {
  it("syncs the device's address book with a vdir both ways, and rests when nothing changed", async () => {
    const home = iosHome("belkasoft");
    const vdir = join(home, "computer");
    const eps = [`ios:${home}`, `vdir:${vdir}`];
    const stateFile = join(home, "state.sqlite");
    const first = await syncEndpoints({ domain: "contacts", endpoints: eps, stateFile });
    expect(first.skipped).toEqual([]);
    expect(first.endpoints[1]?.created).toBe(9);
    const again = await syncEndpoints({ domain: "contacts", endpoints: eps, stateFile });
    expect(again.endpoints.map((e) => e.created + e.updated + e.deleted)).toEqual([0, 0]);

    const josh = readdirSync(vdir).find((f) =>
      readFileSync(join(vdir, f), "utf8").includes("Hickman"),
    ) as string;
    const text = readFileSync(join(vdir, josh), "utf8").replace(
      "END:VCARD",
      "EMAIL;TYPE=INTERNET:josh@cradle.example\r\nEND:VCARD",
    );
    writeFileSync(join(vdir, josh), text);
    const back = await syncEndpoints({ domain: "contacts", endpoints: eps, stateFile });
    expect(back.endpoints[0]?.updated).toBe(1);
    const onDevice = await showEndpoint("contacts", `ios:${home}`);
    const hickman = onDevice.items.find((i) => i.label.includes("Hickman"));
    expect(JSON.stringify(hickman?.fields)).toContain("josh@cradle.example");
    const settled = await syncEndpoints({ domain: "contacts", endpoints: eps, stateFile });
    expect(settled.endpoints.map((e) => e.created + e.updated + e.deleted)).toEqual([0, 0]);
  });

  it("refuses to write anything when iCloud syncs Contacts on the device (exit 3), but still reads", async () => {
    const home = iosHome("josh");
    const vdir = join(home, "computer");
    const db = join(home, "Library", "AddressBook", "AddressBook.sqlitedb");
    const before = digest(db);
    const attempt = syncEndpoints({
      domain: "contacts",
      endpoints: [`ios:${home}`, `vdir:${vdir}`],
      stateFile: join(home, "s.sqlite"),
    });
    await expect(attempt).rejects.toBeInstanceOf(GuardedError);
    await expect(attempt).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/iCloud/) });
    expect(digest(db)).toBe(before);
    const shown = await showEndpoint("contacts", `ios:${home}`);
    expect(shown.items).toHaveLength(9);
  });
});

describe("ios: a lossy endpoint", () => {
  it("never takes what the AddressBook cannot hold for a deletion", async () => {
    const { openAddressBook } = await import("../../src/adapters/contacts/ios/schema.js");
    const { readAddressBook } = await import("../../src/adapters/contacts/ios/read.js");
    const { writeContact } = await import("../../src/adapters/contacts/ios/write.js");
    const home = iosHome("belkasoft");
    const vdir = join(home, "computer");
    mkdirSync(vdir);
    writeFileSync(
      join(vdir, "zoe.vcf"),
      "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Quist;Zoe;;;\r\nFN:Zoe Quist\r\nTEL;TYPE=CELL:+49 30 5550 1000\r\nCATEGORIES:Friends\r\nX-MASTODON:@zoe@example.social\r\nUID:zoe-1\r\nEND:VCARD\r\n",
    );
    const eps = [`ios:${home}`, `vdir:${vdir}`];
    const stateFile = join(home, "state.sqlite");
    const run = () => syncEndpoints({ domain: "contacts", endpoints: eps, stateFile });
    expect((await run()).endpoints[0]?.created).toBe(1);
    expect((await run()).endpoints.map((e) => e.created + e.updated + e.deleted)).toEqual([0, 0]);

    // The phone's owner edits Zoe's number on the device.
    const dbPath = join(home, "Library", "AddressBook", "AddressBook.sqlitedb");
    const db = openAddressBook(dbPath);
    const zoe = readAddressBook(db).contacts.find((c) => c.contact.uid === "zoe-1");
    expect(zoe).toBeDefined();
    if (!zoe) return;
    const tel = zoe.contact.entries.find((e) => e.props[0]?.name === "tel")?.props[0];
    if (tel) tel.values = ["+49 30 5550 2000"];
    await new Promise((r) => setTimeout(r, 1100));
    writeContact(db, zoe.contact, zoe.rowid);
    db.close();

    const afterEdit = await run();
    expect(afterEdit.endpoints[1]?.updated).toBe(1);
    const card = readFileSync(join(vdir, "zoe.vcf"), "utf8");
    expect(card).toContain("5550 2000");
    expect(card).toContain("X-MASTODON:@zoe@example.social");
    expect(card).toContain("CATEGORIES:Friends");
    expect((await run()).endpoints.map((e) => e.created + e.updated + e.deleted)).toEqual([0, 0]);
  });
});
