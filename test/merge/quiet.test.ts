/**
 * The quiet mark: a run that leaves a group in sync records each side's listing digest, and the
 * next run with the same digests does nothing at all. These tests check that the shortcut never
 * hides an edit, a failed write, an unreadable item or a side that joined the group later.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryEndpoint } from "../../src/adapters/memory/endpoint.js";
import { Listing } from "../../src/merge/listing.js";
import { sync } from "../../src/merge/sync.js";
import { SyncState } from "../../src/state/store.js";
import { FailingEndpoint, WrappedEndpoint } from "../support/endpoints.js";
import { contact, edit, expectConverged, fieldsOf, uids, writesOf } from "../support/fields.js";

function setup(count = 3) {
  const a = new MemoryEndpoint("memory:a");
  const b = new MemoryEndpoint("memory:b");
  for (let i = 1; i <= count; i++) a.put(`a${i}`, `uid-${i}`, contact(`Person ${i}`));
  return { a, b, state: SyncState.open(":memory:") };
}

function quietOf(state: SyncState, ...endpoints: MemoryEndpoint[]): string[] | undefined {
  return state.quietDigests(endpoints.map((e) => state.endpointId(e.uri)));
}

describe("the quiet mark", () => {
  it("is set by a run that converges, and the next unchanged run reads nothing", async () => {
    const { a, b, state } = setup();
    await sync({ endpoints: [a, b], state });
    expect(quietOf(state, a, b)).toHaveLength(2);
    const wa = new WrappedEndpoint(a);
    const wb = new WrappedEndpoint(b);
    const report = await sync({ endpoints: [wa, wb], state });
    expect(writesOf(report)).toBe(0);
    expect([...wa.readCalls, ...wb.readCalls]).toEqual([]);
  });

  it("still sees an edit made after it was set, on either side", async () => {
    const { a, b, state } = setup();
    await sync({ endpoints: [a, b], state });
    edit(b, "uid-2", (f) => {
      f.scalars.ORG = "Edited on B";
    });
    await sync({ endpoints: [a, b], state });
    expect(fieldsOf(a, "uid-2")?.scalars.ORG).toBe("Edited on B");
    edit(a, "uid-3", (f) => {
      f.texts.NOTE = "edited on A";
    });
    await sync({ endpoints: [a, b], state });
    expect(fieldsOf(b, "uid-3")?.texts.NOTE).toBe("edited on A");
    expectConverged([a, b]);
  });

  it("matches the listing the next run sees after this run's own writes", async () => {
    const { a, b, state } = setup();
    await sync({ endpoints: [a, b], state });
    const digests = await Promise.all([a, b].map(async (e) => new Listing(await e.list()).digest()));
    expect(quietOf(state, a, b)).toEqual(digests);
  });

  it("is not set while a write failed, so the next run retries it", async () => {
    const { a, b, state } = setup();
    const failing = new FailingEndpoint(b, { failUid: "uid-2" });
    const report = await sync({ endpoints: [a, failing], state });
    expect(report.endpoints[1]?.failed).toBe(1);
    expect(quietOf(state, a, b)).toBeUndefined();
    await sync({ endpoints: [a, b], state });
    expect(uids(b)).toEqual(["uid-1", "uid-2", "uid-3"]);
    expect(quietOf(state, a, b)).toHaveLength(2);
  });

  it("is not set while an item cannot be read, so it is reported on every run", async () => {
    const { a, b, state } = setup();
    b.unreadable.set("broken.vcf", "line 3: not a vCard");
    for (let run = 0; run < 2; run++) {
      const report = await sync({ endpoints: [a, b], state });
      expect(report.skipped.map((s) => s.reason)).toEqual(["line 3: not a vCard"]);
      expect(quietOf(state, a, b)).toBeUndefined();
    }
  });

  it("of one group says nothing about another group sharing an endpoint", async () => {
    const { a, b, state } = setup();
    await sync({ endpoints: [a, b], state });
    const c = new MemoryEndpoint("memory:c");
    await sync({ endpoints: [a, c], state });
    expect(uids(c)).toEqual(["uid-1", "uid-2", "uid-3"]);
  });

  it("is forgotten when the state changes outside a run", async () => {
    const { a, b, state } = setup();
    await sync({ endpoints: [a, b], state });
    const id = state.endpointId(b.uri);
    const [placement] = state.placements(id).values();
    if (!placement) throw new Error("no placement");
    state.removePlacement(id, placement.nativeId);
    expect(quietOf(state, a, b)).toBeUndefined();
  });

  it("is set by an unchanged run once a state without it is in sync", async () => {
    const { a, b, state } = setup();
    await sync({ endpoints: [a, b], state });
    state.transaction(() => state.startRun()); // a run that wrote and was interrupted afterwards
    state.updateToken(state.endpointId(a.uri), "a1", String(a.items.get("a1")?.token));
    expect(quietOf(state, a, b)).toBeUndefined();
    await sync({ endpoints: [a, b], state });
    expect(quietOf(state, a, b)).toHaveLength(2);
  });
});

describe("listing digests", () => {
  const listing = fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1 }), token: fc.string() }), {
    selector: (item) => item.id,
    maxLength: 30,
  });

  it("do not depend on the order items are listed in", () => {
    fc.assert(
      fc.property(listing, fc.infiniteStream(fc.nat()), (items, keys) => {
        const ranks = new Map(items.map((item) => [item.id, keys.next().value as number]));
        const shuffled = [...items].sort((x, y) => (ranks.get(x.id) ?? 0) - (ranks.get(y.id) ?? 0));
        expect(new Listing(shuffled).digest()).toBe(new Listing(items).digest());
      }),
    );
  });

  it("change when any item's token changes, or an item comes or goes", () => {
    fc.assert(
      fc.property(
        listing.filter((items) => items.length > 0),
        fc.nat(),
        (items, pick) => {
          const index = pick % items.length;
          const item = items[index] as { id: string; token: string };
          const digest = new Listing(items).digest();
          const retokened = items.map((x, i) => (i === index ? { ...x, token: `${x.token}'` } : x));
          expect(new Listing(retokened).digest()).not.toBe(digest);
          expect(new Listing(items.filter((_, i) => i !== index)).digest()).not.toBe(digest);
          const moved = new Listing(items);
          moved.removed(item.id);
          moved.wrote(item.id, item.token);
          expect(moved.digest()).toBe(digest);
        },
      ),
    );
  });
});
