/**
 * Crash safety (research sync-anchors.md §2 property 8, Unison's invariants): a run that dies after
 * any number of writes, or around either state transaction, leaves every side as it was or holding
 * its final value, and the next normal run converges to exactly what an uninterrupted run gives:
 * nothing lost, nothing duplicated, merged notes not doubled.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryEndpoint } from "../../src/adapters/memory/endpoint.js";
import { sync } from "../../src/merge/sync.js";
import { SyncState } from "../../src/state/store.js";
import {
  CrashingEndpoint,
  crashInsideTransaction,
  crashOnTransaction,
  SimulatedCrash,
  type WriteBudget,
} from "../support/endpoints.js";
import { contact, edit, expectConverged, fieldsOf, remove, sorted, writesOf } from "../support/fields.js";

const NOTE = "met at the conference";

/**
 * Three endpoints in sync on six contacts, then: creates on two sides, updates (a name, phone
 * numbers), concurrent note edits on two sides, a deletion, and a contact deleted on one side while
 * edited on another (it must come back).
 */
async function scenario() {
  const phone = new MemoryEndpoint("memory:phone");
  const ipad = new MemoryEndpoint("memory:ipad");
  const computer = new MemoryEndpoint("memory:computer");
  const endpoints = [phone, ipad, computer];
  const state = SyncState.open(":memory:");
  for (const i of [1, 2, 3, 4, 5, 6])
    phone.put(`c${i}`, `C${i}`, contact({ fn: `Contact ${i}`, tels: [`${i}00`], note: NOTE }));
  await sync({ endpoints, state });

  edit(phone, "C1", (f) => {
    f.scalars.FN = "Contact One";
  });
  edit(phone, "C3", (f) => {
    f.texts.NOTE = `phone: ${f.texts.NOTE}`;
  });
  remove(phone, "C5");
  phone.put("n1", "N1", contact({ fn: "New on phone", tels: ["111"] }));

  edit(computer, "C3", (f) => {
    f.texts.NOTE = `${f.texts.NOTE} (computer)`;
  });
  edit(computer, "C5", (f) => {
    f.scalars.ORG = "Kept by computer";
  });
  edit(computer, "C6", (f) => {
    (f.sets.entries as Record<string, string>)["TEL:666"] = "666";
  });
  computer.put("n2", "N2", contact({ fn: "New on computer", emails: ["n2@example.org"] }));

  edit(ipad, "C2", (f) => {
    (f.sets.entries as Record<string, string>)["TEL:222"] = "222";
  });
  remove(ipad, "C4");
  const before = endpoints.map((e) => new Map(e.snapshot()));
  return { endpoints, state, before };
}

/** The outcome of an uninterrupted run, checked once against the intent of the edits. */
async function reference() {
  const { endpoints, state } = await scenario();
  const report = await sync({ endpoints, state });
  const final = expectConverged(endpoints);
  const [phone] = endpoints as [MemoryEndpoint];
  expect([...final.keys()].sort()).toEqual(["C1", "C2", "C3", "C5", "C6", "N1", "N2"]);
  expect(fieldsOf(phone, "C1")?.scalars.FN).toBe("Contact One");
  expect(fieldsOf(phone, "C2")?.sets.entries).toHaveProperty("TEL:222");
  expect(fieldsOf(phone, "C3")?.texts.NOTE).toBe(`phone: ${NOTE} (computer)`);
  expect(fieldsOf(phone, "C5")?.scalars.ORG).toBe("Kept by computer");
  expect(fieldsOf(phone, "C6")?.sets.entries).toHaveProperty("TEL:666");
  expect(report.resurrected.map((r) => [r.uid, r.endpoint])).toEqual([["C5", "memory:phone"]]);
  return { final: sorted(final), writes: writesOf(report) };
}

/** Each side holds, for each UID, either what it held before the run or its final value. */
function expectOldOrFinal(
  endpoints: MemoryEndpoint[],
  before: Map<string, string>[],
  final: [string, string][],
) {
  const finalMap = new Map(final);
  endpoints.forEach((endpoint, i) => {
    expect(endpoint.items.size, `${endpoint.uri} holds a UID twice`).toBe(endpoint.snapshot().size);
    for (const uid of new Set([...(before[i]?.keys() ?? []), ...finalMap.keys()])) {
      const now = endpoint.snapshot().get(uid);
      expect([before[i]?.get(uid), finalMap.get(uid)], `${uid} on ${endpoint.uri}`).toContain(now);
    }
  });
}

/** After a crash: a normal run converges to the reference, and the one after it does nothing. */
async function expectRecovery(endpoints: MemoryEndpoint[], state: SyncState, final: [string, string][]) {
  await sync({ endpoints, state });
  expect(sorted(expectConverged(endpoints))).toEqual(final);
  const [phone] = endpoints as [MemoryEndpoint];
  expect(phone.items.size).toBe(7);
  const note = fieldsOf(phone, "C3")?.texts.NOTE ?? "";
  expect(note.split("phone: ").length - 1).toBe(1);
  expect(note.split("(computer)").length - 1).toBe(1);
  expect(note.split(NOTE).length - 1).toBe(1);
  expect(writesOf(await sync({ endpoints, state }))).toBe(0);
}

function crashing(endpoints: MemoryEndpoint[], budget: WriteBudget) {
  return endpoints.map((e) => new CrashingEndpoint(e, budget));
}

describe("crash safety", () => {
  it("converges after a crash following every possible number of writes", async () => {
    const { final, writes } = await reference();
    expect(writes).toBeGreaterThan(10);
    for (let n = 0; n < writes; n++) {
      const { endpoints, state, before } = await scenario();
      const budget = { left: n, done: 0 };
      await expect(sync({ endpoints: crashing(endpoints, budget), state })).rejects.toBeInstanceOf(
        SimulatedCrash,
      );
      expect(budget.done).toBe(n);
      expectOldOrFinal(endpoints, before, final);
      await expectRecovery(endpoints, state, final);
    }
  });

  it("converges after a crash just before the second state transaction", async () => {
    const { final } = await reference();
    const { endpoints, state, before } = await scenario();
    const restore = crashOnTransaction(state, 2);
    await expect(sync({ endpoints, state })).rejects.toBeInstanceOf(SimulatedCrash);
    restore();
    expect(sorted(expectConverged(endpoints))).toEqual(final);
    expectOldOrFinal(endpoints, before, final);
    await expectRecovery(endpoints, state, final);
  });

  it("converges after a crash inside the second state transaction (rolled back)", async () => {
    const { final } = await reference();
    const { endpoints, state } = await scenario();
    const restore = crashInsideTransaction(state, 2);
    await expect(sync({ endpoints, state })).rejects.toBeInstanceOf(SimulatedCrash);
    restore();
    await expectRecovery(endpoints, state, final);
  });

  it.each([
    ["instead of", crashOnTransaction],
    ["inside", crashInsideTransaction],
  ])("leaves everything as it was after a crash %s the first state transaction", async (_, crash) => {
    const { final } = await reference();
    const { endpoints, state, before } = await scenario();
    const records = [...state.recordHashes()];
    const writes = endpoints.map((e) => e.writes);
    const restore = crash(state, 1);
    await expect(sync({ endpoints, state })).rejects.toBeInstanceOf(SimulatedCrash);
    restore();
    expect(endpoints.map((e) => e.snapshot())).toEqual(before);
    expect(endpoints.map((e) => e.writes)).toEqual(writes);
    expect([...state.recordHashes()]).toEqual(records);
    await expectRecovery(endpoints, state, final);
  });

  it("converges after two crashes in a row (the recovery run crashes too)", async () => {
    const { final, writes } = await reference();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: writes - 1 }), fc.nat({ max: writes }), async (n, m) => {
        const { endpoints, state, before } = await scenario();
        await sync({ endpoints: crashing(endpoints, { left: n, done: 0 }), state }).catch((e: unknown) => {
          if (!(e instanceof SimulatedCrash)) throw e;
        });
        await sync({ endpoints: crashing(endpoints, { left: m, done: 0 }), state }).catch((e: unknown) => {
          if (!(e instanceof SimulatedCrash)) throw e;
        });
        expectOldOrFinal(endpoints, before, final);
        await expectRecovery(endpoints, state, final);
      }),
      { numRuns: 25 },
    );
  });
});
