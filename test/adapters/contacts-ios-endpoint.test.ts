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
