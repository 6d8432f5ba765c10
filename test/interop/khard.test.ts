import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { syncEndpoints } from "../../src/api/sync.js";
import { withPeer } from "./peer.js";

const CONTACTS = `BEGIN:VCARD\r
VERSION:3.0\r
N:Meyer;Anna;;;\r
FN:Anna Meyer\r
item1.EMAIL;type=INTERNET:anna@lindenhof.example\r
item1.X-ABLabel:_$!<Work>!$_\r
TEL;type=CELL:+49 30 5550 1234\r
UID:khard-anna\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:4.0\r
FN:Jürgen Groß\r
N:Groß;Jürgen;;;\r
EMAIL:jg@example.org\r
UID:khard-juergen\r
END:VCARD\r
`;

describe("khard reads the vdir Cradle writes", () => {
  withPeer("khard", "khard")("lists every contact with its email", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cradle-khard-"));
    const book = join(dir, "book");
    writeFileSync(join(dir, "export.vcf"), CONTACTS);
    await syncEndpoints({
      domain: "contacts",
      endpoints: [`file:${join(dir, "export.vcf")}`, `vdir:${book}`],
      stateFile: join(dir, "state.sqlite"),
    });
    const config = join(dir, "khard.conf");
    writeFileSync(
      config,
      `[addressbooks]\n[[cradle]]\npath = ${book}\n\n[general]\ndebug = no\ndefault_action = list\neditor = true\nmerge_editor = true\n`,
    );
    const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir };
    const list = execFileSync("khard", ["-c", config, "list", "--parsable"], { env, encoding: "utf8" });
    expect(list).toContain("Anna Meyer");
    expect(list).toContain("Jürgen Groß");
    const emails = execFileSync("khard", ["-c", config, "email", "--parsable"], { env, encoding: "utf8" });
    expect(emails).toContain("anna@lindenhof.example");
    expect(emails).toContain("jg@example.org");
  });
});
