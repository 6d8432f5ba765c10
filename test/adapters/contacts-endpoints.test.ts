import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ContactsFileEndpoint } from "../../src/adapters/contacts/endpoints/file.js";
import { ContactsVdirEndpoint } from "../../src/adapters/contacts/endpoints/vdir.js";
import { MemoryEndpoint } from "../../src/adapters/memory/endpoint.js";
import { endpointContract, sampleFields } from "./endpoint-contract.js";

const temp = () => mkdtempSync(join(tmpdir(), "cradle-ep-"));

endpointContract("memory:", async () => new MemoryEndpoint("memory:test"));
endpointContract("vdir:", async () => new ContactsVdirEndpoint(join(temp(), "book")));
endpointContract("file:", async () => new ContactsFileEndpoint(join(temp(), "all.vcf")));

describe("vdir: file names", () => {
  it("names new files after the UID, made safe, and never outside the directory", async () => {
    const dir = join(temp(), "book");
    const endpoint = new ContactsVdirEndpoint(dir);
    await endpoint.list();
    await endpoint.write({
      create: [
        { uid: "ABC-123", fields: sampleFields("A", "1") },
        { uid: "../../etc/passwd", fields: sampleFields("B", "2") },
        { uid: "a/b\\c:d", fields: sampleFields("C", "3") },
      ],
      update: [],
      delete: [],
    });
    const names = readdirSync(dir).sort();
    expect(names).toContain("ABC-123.vcf");
    expect(names).toHaveLength(3);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9._@+-]+\.vcf$/);
    expect(names.some((n) => n.startsWith("."))).toBe(false);
  });

  it("keeps the name and the vCard version of an existing file", async () => {
    const dir = temp();
    writeFileSync(
      join(dir, "odd name.vcf"),
      "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Eve\r\nUID:eve\r\nEND:VCARD\r\n",
    );
    const endpoint = new ContactsVdirEndpoint(dir);
    const [listed] = await endpoint.list();
    const read = (await endpoint.read([listed?.id as string])).get("odd name.vcf");
    expect(read?.ok).toBe(true);
    if (!read?.ok) return;
    await endpoint.write({
      create: [],
      update: [{ id: "odd name.vcf", uid: "eve", fields: read.item.fields }],
      delete: [],
    });
    expect(readdirSync(dir)).toEqual(["odd name.vcf"]);
    expect(readFileSync(join(dir, "odd name.vcf"), "utf8")).toContain("VERSION:4.0");
  });

  it("reports a malformed vCard with its file and line", async () => {
    const dir = temp();
    writeFileSync(join(dir, "broken.vcf"), "BEGIN:VCARD\nVERSION:3.0\nFN:Broken\nthis is not a property\n");
    const endpoint = new ContactsVdirEndpoint(dir);
    const results = await endpoint.read(["broken.vcf"]);
    const result = results.get("broken.vcf");
    expect(result?.ok).toBe(false);
    if (result && !result.ok) expect(result.error.where).toMatch(/broken\.vcf(:\d+)?$/);
  });
});

describe("file: one file, many cards", () => {
  it("rewrites only the cards that changed and keeps the others byte for byte", async () => {
    const path = join(temp(), "all.vcf");
    const untouched =
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Keep Me\r\nX-CUSTOM;X-PARAM=1:odd\\,value\r\nUID:keep\r\nEND:VCARD\r\n";
    writeFileSync(
      path,
      `${untouched}BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Change Me\r\nUID:change\r\nEND:VCARD\r\n`,
    );
    const endpoint = new ContactsFileEndpoint(path);
    const listed = await endpoint.list();
    expect(listed.map((l) => l.id).sort()).toEqual(["change", "keep"]);
    await endpoint.read(["change"]);
    await endpoint.write({
      create: [],
      update: [{ id: "change", uid: "change", fields: sampleFields("Changed", "5") }],
      delete: [],
    });
    const text = readFileSync(path, "utf8");
    expect(text.startsWith(untouched)).toBe(true);
    expect(text).toContain("FN:Changed");
  });
});

describe("vdir: updates of files this run did not read", () => {
  it("keep the vCard version of a file that was not read before it is updated", async () => {
    const { syncEndpoints } = await import("../../src/api/sync.js");
    const root = temp();
    const [a, b] = [join(root, "a"), join(root, "b")];
    for (const dir of [a, b]) mkdirSync(dir);
    writeFileSync(join(a, "eve.vcf"), "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\r\nUID:eve\r\nEND:VCARD\r\n");
    writeFileSync(join(b, "eve.vcf"), "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Eve\r\nUID:eve\r\nEND:VCARD\r\n");
    const run = () =>
      syncEndpoints({
        domain: "contacts",
        endpoints: [`vdir:${a}`, `vdir:${b}`],
        stateFile: join(root, "s.sqlite"),
      });
    await run();
    writeFileSync(
      join(a, "eve.vcf"),
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\r\nTITLE:Pilot\r\nUID:eve\r\nEND:VCARD\r\n",
    );
    const report = await run();
    expect(report.endpoints[1]?.updated).toBe(1);
    const written = readFileSync(join(b, "eve.vcf"), "utf8");
    expect(written).toContain("VERSION:4.0");
    expect(written).toContain("TITLE:Pilot");
  });
});
