/**
 * Many endpoints, one run: an iPhone, two iPads and a computer each edit different fields of the
 * same contacts; a single sync converges all four without conflicts, and the next one is idle.
 */
import { describe, expect, it } from "vitest";
import { MemoryEndpoint } from "../../src/adapters/memory/endpoint.js";
import type { Fields } from "../../src/core/fields.js";
import { sync } from "../../src/merge/sync.js";
import { SyncState } from "../../src/state/store.js";
import { contact, edit, expectConverged, fieldsOf, writesOf } from "../support/fields.js";

describe("four endpoints", () => {
  it("an iPhone, two iPads and a computer editing different fields converge in one sync", async () => {
    const iphone = new MemoryEndpoint("memory:iphone");
    const ipadA = new MemoryEndpoint("memory:ipad-kitchen");
    const ipadB = new MemoryEndpoint("memory:ipad-office");
    const computer = new MemoryEndpoint("memory:computer");
    const endpoints = [iphone, ipadA, ipadB, computer];
    const state = SyncState.open(":memory:");
    const people = ["Anna", "Ben", "Cleo", "Dev"];
    for (const [i, fn] of people.entries())
      computer.put(`p${i}`, `P${i}`, contact({ fn, tels: [`${i}1`], note: `${fn} likes tea.` }));
    const first = await sync({ endpoints, state });
    expect(first.endpoints.map((e) => e.created)).toEqual([4, 4, 4, 0]);

    for (const [i, fn] of people.entries()) {
      const uid = `P${i}`;
      edit(iphone, uid, (f) => {
        f.scalars.FN = `${fn} Meyer`;
      });
      edit(ipadA, uid, (f) => {
        (f.sets.entries as Record<string, string>)[`TEL:${i}2`] = `${i}2`;
      });
      edit(ipadB, uid, (f) => {
        f.scalars.ORG = "ACME";
        (f.sets.entries as Record<string, string>)[`EMAIL:${fn.toLowerCase()}@acme.test`] =
          `${fn.toLowerCase()}@acme.test`;
      });
      edit(computer, uid, (f) => {
        f.texts.NOTE = `${f.texts.NOTE} Birthday in May.`;
      });
    }
    // Two sides also type into the same note at different places: a text merge, not a conflict.
    edit(iphone, "P0", (f) => {
      f.texts.NOTE = `Met in Berlin. ${f.texts.NOTE}`;
    });

    const report = await sync({ endpoints, state });
    expect(report.conflicts).toEqual([]);
    expect(report.textMerges.map((t) => [t.uid, t.field])).toEqual([["P0", "NOTE"]]);
    expect(expectConverged(endpoints).size).toBe(4);
    for (const [i, fn] of people.entries()) {
      const merged = fieldsOf(ipadA, `P${i}`) as Fields;
      const mail = `${fn.toLowerCase()}@acme.test`;
      expect(merged).toEqual({
        scalars: { FN: `${fn} Meyer`, ORG: "ACME" },
        texts: { NOTE: `${i === 0 ? "Met in Berlin. " : ""}${fn} likes tea. Birthday in May.` },
        sets: { entries: { [`TEL:${i}1`]: `${i}1`, [`TEL:${i}2`]: `${i}2`, [`EMAIL:${mail}`]: mail } },
      });
    }
    // Every device made edits, so every device receives the merge (no side already had it).
    expect(report.endpoints.map((e) => e.updated)).toEqual([4, 4, 4, 4]);
    expect(writesOf(await sync({ endpoints, state }))).toBe(0);
  });

  it("a contact created on one device reaches the three others, a deletion on another removes it from all", async () => {
    const endpoints = ["iphone", "ipad-1", "ipad-2", "computer"].map(
      (n) => new MemoryEndpoint(`memory:${n}`),
    );
    const [iphone, ipad1, ipad2, computer] = endpoints as [
      MemoryEndpoint,
      MemoryEndpoint,
      MemoryEndpoint,
      MemoryEndpoint,
    ];
    const state = SyncState.open(":memory:");
    for (const uid of ["K1", "K2", "K3"]) computer.put(uid, uid, contact(uid));
    iphone.put("x", "NEW", contact({ fn: "Fresh", tels: ["9"] }));
    await sync({ endpoints, state });
    expect(expectConverged(endpoints).size).toBe(4);
    const id = [...ipad2.items].find(([, i]) => i.uid === "NEW")?.[0] as string;
    ipad2.items.delete(id);
    const report = await sync({ endpoints, state });
    expect(report.endpoints.map((e) => e.deleted)).toEqual([1, 1, 0, 1]);
    expect(expectConverged(endpoints).has("NEW")).toBe(false);
    expect(ipad1.items.size).toBe(3);
  });
});
