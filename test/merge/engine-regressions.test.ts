/**
 * Spec points of the engine not covered by the scenario and property files, and regression tests
 * for engine bugs found while writing them.
 */
import { describe, expect, it } from "vitest";
import { MemoryEndpoint } from "../../src/adapters/memory/endpoint.js";
import { GuardedError } from "../../src/merge/errors.js";
import { sync } from "../../src/merge/sync.js";
import { SyncState } from "../../src/state/store.js";
import { crashOnTransaction, FailingEndpoint, KeyedEndpoint, SimulatedCrash } from "../support/endpoints.js";
import { contact, edit, expectConverged, fieldsOf, idOf, remove, uids, writesOf } from "../support/fields.js";

function pair() {
  return {
    a: new MemoryEndpoint("memory:a"),
    b: new MemoryEndpoint("memory:b"),
    state: SyncState.open(":memory:"),
  };
}

describe("unreadable items", () => {
  it("a new unreadable item is reported and copied nowhere", async () => {
    const { a, b, state } = pair();
    a.put("1", "1", contact("One"));
    a.unreadable.set("broken.vcf", "line 3: bad BEGIN");
    const report = await sync({ endpoints: [a, b], state });
    expect(report.skipped).toEqual([{ where: "memory:a/broken.vcf", reason: "line 3: bad BEGIN" }]);
    expect(uids(b)).toEqual(["1"]);
    expect(a.unreadable.has("broken.vcf")).toBe(true);
  });

  it("a synced item that becomes unreadable is deleted nowhere, even when another side deletes it", async () => {
    const { a, b, state } = pair();
    for (const uid of ["1", "2", "3"]) a.put(uid, uid, contact(uid));
    await sync({ endpoints: [a, b], state });
    a.items.delete("1");
    a.unreadable.set("1", "truncated file");
    remove(b, "1");
    const report = await sync({ endpoints: [a, b], state });
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]?.where).toBe("memory:a/1");
    expect(report.skipped[0]?.reason).toMatch(/truncated file \(left untouched on memory:a\)/);
    expect(a.unreadable.has("1")).toBe(true);
    expect(writesOf(report)).toBe(0);
    // Once it is readable again, the deletion on b is no longer pending against a blocked item: it syncs.
    a.unreadable.delete("1");
    a.put("1", "1", contact("1, repaired"));
    await sync({ endpoints: [a, b], state });
    expect(fieldsOf(b, "1")?.scalars.FN).toBe("1, repaired");
    expectConverged([a, b]);
  });
});

describe("identity", () => {
  it("first sync matches by match keys when UIDs differ, never duplicating", async () => {
    const { a, b, state } = pair();
    a.put("x", "UID-ON-A", contact({ fn: "Anna Meyer", tels: ["+4930123"] }));
    b.put("y", "UID-ON-B", contact({ fn: "anna meyer", tels: ["+4930123"], emails: ["anna@x.test"] }));
    const report = await sync({ endpoints: [new KeyedEndpoint(a), new KeyedEndpoint(b)], state });
    expect(a.items.size).toBe(1);
    expect(b.items.size).toBe(1);
    expect(state.recordHashes().size).toBe(1);
    expect(fieldsOf(a, "UID-ON-A")?.sets.entries).toHaveProperty("EMAIL:anna@x.test");
    expect(report.conflicts.map((c) => c.field)).toEqual(["FN"]);
  });

  it("duplicate UIDs on one side are reported on every run and never propagated", async () => {
    const { a, b, state } = pair();
    a.put("x", "D", contact("first"));
    a.put("y", "D", contact("second"));
    for (let run = 0; run < 2; run++) {
      const report = await sync({ endpoints: [a, b], state });
      expect(report.skipped.map((s) => s.where)).toEqual(["memory:a y"]);
    }
    expect(b.items.size).toBe(1);
    expect(a.items.size).toBe(2);
  });

  // Regression: an item renamed on one side (gone under its old id, back under a new one) was taken
  // as a duplicate of itself and as a deletion, and deleted on every other side.
  it("an item that moves to a new id on one side is neither a duplicate nor a deletion", async () => {
    const { a, b, state } = pair();
    for (const uid of ["1", "2"]) a.put(uid, uid, contact(uid));
    await sync({ endpoints: [a, b], state });
    const item = b.items.get(idOf(b, "1"));
    b.items.delete(idOf(b, "1"));
    if (item) b.items.set("renamed", { ...item, fields: { ...item.fields, scalars: { FN: "1, renamed" } } });
    const report = await sync({ endpoints: [a, b], state });
    expect(report.skipped).toEqual([]);
    expect(report.resurrected).toEqual([]);
    expect(report.endpoints.map((e) => e.deleted)).toEqual([0, 0]);
    expect(fieldsOf(a, "1")?.scalars.FN).toBe("1, renamed");
    expect(b.items.has("renamed")).toBe(true);
    expectConverged([a, b]);
  });
});

describe("deletions against read-only sides", () => {
  // Regression: while a tombstone lingered (a read-only side still held the record), an identical
  // copy re-created by the user was taken for the deleted record and deleted again.
  it("a record re-created after its deletion stays, even with the same content", async () => {
    const a = new MemoryEndpoint("memory:a");
    const archive = new MemoryEndpoint("memory:archive", "contacts", true);
    const state = SyncState.open(":memory:");
    for (const uid of ["1", "2", "3"]) {
      a.put(uid, uid, contact(uid));
      archive.put(uid, uid, contact(uid));
    }
    await sync({ endpoints: [a, archive], state });
    remove(a, "1");
    await sync({ endpoints: [a, archive], state });
    expect(uids(a)).toEqual(["2", "3"]);
    a.put("again", "1", contact("1"));
    const report = await sync({ endpoints: [a, archive], state });
    expect(report.endpoints[0]?.deleted).toBe(0);
    expect(uids(a)).toEqual(["1", "2", "3"]);
    expect(writesOf(await sync({ endpoints: [a, archive], state }))).toBe(0);
    expect(uids(a)).toEqual(["1", "2", "3"]);
    expect(archive.writes).toBe(0);
  });
});

describe("runs that must not write", () => {
  it("a dry run plans the writes and changes nothing, not even the state", async () => {
    const { a, b, state } = pair();
    a.put("1", "1", contact("One"));
    const report = await sync({ endpoints: [a, b], state, dryRun: true });
    expect(report.plan).toEqual(['create "One" (1) on memory:b']);
    expect(report.endpoints[1]?.created).toBe(1);
    expect(b.items.size).toBe(0);
    expect(state.recordHashes().size).toBe(0);
    await sync({ endpoints: [a, b], state });
    expectConverged([a, b]);
  });

  it("a guarded endpoint stops the run before anything is written", async () => {
    const { a, b, state } = pair();
    a.put("1", "1", contact("One"));
    b.guardVerdict = { enabled: false, reason: "iCloud syncs Contacts on this device" };
    const error = await sync({ endpoints: [a, b], state }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuardedError);
    expect((error as GuardedError).exitCode).toBe(3);
    expect(b.items.size + b.writes + a.writes).toBe(0);
    expect(state.recordHashes().size).toBe(0);
  });

  it("a contact edited on one side while another side deletes a field keeps the edit (field level)", async () => {
    const { a, b, state } = pair();
    a.put("1", "1", contact({ fn: "One", org: "Old Org", tels: ["1"] }));
    await sync({ endpoints: [a, b], state });
    edit(a, "1", (f) => {
      f.scalars.ORG = "New Org";
    });
    edit(b, "1", (f) => {
      delete f.scalars.ORG;
    });
    const report = await sync({ endpoints: [a, b], state });
    expect(fieldsOf(b, "1")?.scalars.ORG).toBe("New Org");
    expect(report.conflicts).toEqual([
      expect.objectContaining({ field: "ORG", winner: "memory:a", reason: "edit beats delete" }),
    ]);
  });
});

describe("resurrection reports", () => {
  // Regression: a record whose deletion was interrupted (tombstone committed, some deletes not yet
  // written) and that was then edited elsewhere came back on the deleting side without a report.
  it("a record edited after an interrupted deletion comes back and is reported", async () => {
    const a = new MemoryEndpoint("memory:a");
    const b = new MemoryEndpoint("memory:b");
    const state = SyncState.open(":memory:");
    for (const uid of ["1", "2", "3"]) a.put(uid, uid, contact(uid));
    await sync({ endpoints: [a, b], state });
    remove(a, "1");
    const restore = crashOnTransaction(state, 2);
    await expect(sync({ endpoints: [a, new FailingEndpoint(b)], state })).rejects.toBeInstanceOf(
      SimulatedCrash,
    );
    restore();
    expect(uids(b)).toEqual(["1", "2", "3"]);
    edit(b, "1", (f) => {
      f.scalars.FN = "1, still wanted";
    });
    const report = await sync({ endpoints: [a, b], state });
    expect(fieldsOf(a, "1")?.scalars.FN).toBe("1, still wanted");
    expect(report.resurrected).toEqual([{ uid: "1", label: "1, still wanted", endpoint: "memory:a" }]);
    expectConverged([a, b]);
  });
});
