import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Domain } from "../../src/core/endpoint.js";
import { AccountsDbError } from "../../src/guard/accounts.js";
import { cloudGuard, guardStatus } from "../../src/guard/guard.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/ios/accounts/", import.meta.url));
const JOSH = join(FIXTURES, "josh", "Accounts3.sqlite");
const BELKASOFT = join(FIXTURES, "belkasoft", "Accounts3.sqlite");
const DOMAINS: Domain[] = ["contacts", "calendars", "photos"];
const SETTINGS: Record<Domain, string> = { contacts: "Contacts", calendars: "Calendars", photos: "Photos" };

describe("cloudGuard", () => {
  it.each(DOMAINS)("disables %s on josh's phone, naming the device, domain and switch", (domain) => {
    const verdict = cloudGuard(JOSH, domain, "Josh's iPhone");
    expect(verdict.enabled).toBe(false);
    expect(verdict.reason).toContain("Josh's iPhone");
    expect(verdict.reason).toContain(domain);
    expect(verdict.reason).toContain(`Settings > [your name] > iCloud > ${SETTINGS[domain]}`);
    expect(guardStatus(domain, verdict)).toEqual({ domain, status: "disabled", reason: "icloud" });
  });

  it.each(DOMAINS)("enables %s on the belkasoft phone", (domain) => {
    const verdict = cloudGuard(BELKASOFT, domain, "Belka's iPhone");
    expect(verdict).toEqual({ enabled: true });
    expect(guardStatus(domain, verdict)).toEqual({ domain, status: "enabled" });
  });

  it("throws AccountsDbError, not a verdict, when the database is missing", () => {
    expect(() => cloudGuard(join(FIXTURES, "missing.sqlite"), "contacts", "X")).toThrow(AccountsDbError);
  });
});
