import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { syncEndpoints } from "../../src/api/sync.js";
import { createVirtualDevice } from "../../src/device/virtual/create.js";
import { devicePath } from "../../src/device/virtual/layout.js";

const workspace = () => mkdtempSync(join(tmpdir(), "cradle-device-sync-"));
const digest = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("a virtual iPhone behind the ios: endpoint", () => {
  it("syncs its contacts into a vdir, and a second sync writes nothing", async () => {
    const root = workspace();
    const phone = join(root, "phone");
    const vdir = join(root, "computer");
    createVirtualDevice(phone, { sample: 25, seed: "sync" });
    const options = {
      domain: "contacts" as const,
      endpoints: [`ios:${phone}`, `vdir:${vdir}`],
      stateFile: join(root, "state.sqlite"),
    };

    const first = await syncEndpoints(options);
    expect(first.skipped).toEqual([]);
    expect(first.endpoints[1]?.created).toBe(25);
    expect(readdirSync(vdir).filter((f) => f.endsWith(".vcf"))).toHaveLength(25);
    const cards = readdirSync(vdir).map((f) => readFileSync(join(vdir, f), "utf8"));
    expect(cards.some((c) => c.includes("X-ABLabel:_$!<Mobile>!$_"))).toBe(true);

    const book = digest(devicePath(phone, "addressBook"));
    const second = await syncEndpoints(options);
    expect(second.endpoints.map((e) => e.created + e.updated + e.deleted)).toEqual([0, 0]);
    expect(digest(devicePath(phone, "addressBook"))).toBe(book);
  });

  it("refuses contacts with exit code 3 when the device was made with --icloud contacts", async () => {
    const root = workspace();
    const phone = join(root, "phone");
    createVirtualDevice(phone, { icloud: ["contacts"] });
    const book = digest(devicePath(phone, "addressBook"));
    const attempt = syncEndpoints({
      domain: "contacts",
      endpoints: [`ios:${phone}`, `vdir:${join(root, "computer")}`],
      stateFile: join(root, "state.sqlite"),
    });
    await expect(attempt).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/iCloud/) });
    expect(digest(devicePath(phone, "addressBook"))).toBe(book);
  });
});
