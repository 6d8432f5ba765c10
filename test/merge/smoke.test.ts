import { describe, expect, it } from "vitest";
import { MemoryEndpoint } from "../../src/adapters/memory/endpoint.js";
import type { Fields } from "../../src/core/fields.js";
import { sync } from "../../src/merge/sync.js";
import { SyncState } from "../../src/state/store.js";

const contact = (fn: string, tels: string[], note = ""): Fields => ({
  scalars: { FN: fn },
  texts: note ? { NOTE: note } : {},
  sets: { entries: Object.fromEntries(tels.map((t) => [`TEL:${t}`, t])) },
});

describe("sync smoke", () => {
  it("merges field by field across two sides", async () => {
    const state = SyncState.open(":memory:");
    const phone = new MemoryEndpoint("memory:phone");
    const computer = new MemoryEndpoint("memory:computer");
    phone.put("a", "U1", contact("Anna", ["1"], "likes tea"));
    phone.put("b", "U2", contact("Ben", ["2"]));
    const first = await sync({ endpoints: [phone, computer], state });
    expect(first.endpoints[1]?.created).toBe(2);
    const onComputer = [...computer.items.entries()].find(([, v]) => v.uid === "U1");
    expect(onComputer).toBeDefined();
    phone.put("a", "U1", contact("Anna", ["1", "3"], "likes green tea"));
    computer.put(onComputer?.[0] as string, "U1", contact("Anna M", ["1"], "likes tea a lot"));
    const second = await sync({ endpoints: [phone, computer], state });
    expect(second.conflicts).toEqual([]);
    expect(phone.snapshot()).toEqual(computer.snapshot());
    const merged = JSON.parse(phone.snapshot().get("U1") as string) as Fields;
    expect(merged.scalars.FN).toBe("Anna M");
    expect(Object.keys(merged.sets.entries ?? {}).sort()).toEqual(["TEL:1", "TEL:3"]);
    expect(merged.texts.NOTE).toBe("likes green tea a lot");
    const third = await sync({ endpoints: [phone, computer], state });
    expect(third.endpoints.map((e) => e.created + e.updated + e.deleted)).toEqual([0, 0]);
  });
});
