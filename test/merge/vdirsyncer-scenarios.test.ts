/**
 * vdirsyncer's acceptance scenarios (tests/unit/sync/test_sync.py, research sync-anchors.md §1.5
 * rows 1–27), ported to MemoryEndpoint + sync(). Each test carries the vdirsyncer name; the comment
 * above it says how Cradle's semantics differ where they do.
 */
import { describe, expect, it } from "vitest";
import { MemoryEndpoint } from "../../src/adapters/memory/endpoint.js";
import type { Fields } from "../../src/core/fields.js";
import { SafetyRefusal, SyncSetupError } from "../../src/merge/errors.js";
import { sync } from "../../src/merge/sync.js";
import { SyncState } from "../../src/state/store.js";
import { FailingEndpoint, RepeatingListEndpoint, WrappedEndpoint } from "../support/endpoints.js";
import {
  contact,
  edit,
  expectConverged,
  fieldsOf,
  idOf,
  remove,
  sorted,
  uids,
  writesOf,
} from "../support/fields.js";

function setup(opts: { aReadOnly?: boolean; bReadOnly?: boolean } = {}) {
  const a = new MemoryEndpoint("memory:a", "contacts", opts.aReadOnly ?? false);
  const b = new MemoryEndpoint("memory:b", "contacts", opts.bReadOnly ?? false);
  const state = SyncState.open(":memory:");
  return { a, b, state };
}

/** Records the state remembers (tombstones included). */
function stateRecords(state: SyncState): number {
  return state.recordHashes().size;
}

/** Every placement the state holds for an endpoint: token and hash per native id. */
function placements(state: SyncState, uri: string) {
  return [...state.placements(state.endpointId(uri)).values()];
}

describe("vdirsyncer scenarios", () => {
  // Cradle: both sides emptied is refused like any emptied side; with allowEmpty the stale record is dropped.
  it("test_irrelevant_status", async () => {
    const { a, b, state } = setup();
    a.put("1", "1", contact("One"));
    await sync({ endpoints: [a, b], state });
    expect(stateRecords(state)).toBe(1);
    a.items.clear();
    b.items.clear();
    await expect(sync({ endpoints: [a, b], state })).rejects.toBeInstanceOf(SafetyRefusal);
    expect(stateRecords(state)).toBe(1);
    const report = await sync({ endpoints: [a, b], state, allowEmpty: true });
    expect(writesOf(report)).toBe(0);
    expect(stateRecords(state)).toBe(0);
    expect(a.items.size + b.items.size).toBe(0);
  });

  // Same in Cradle: identical items and no state → one record, no conflict, nothing written.
  it("test_missing_status", async () => {
    const { a, b, state } = setup();
    a.put("1", "1", contact({ fn: "Anna", tels: ["1"] }));
    b.put("1", "1", contact({ fn: "Anna", tels: ["1"] }));
    const report = await sync({ endpoints: [a, b], state });
    expect(report.conflicts).toEqual([]);
    expect(writesOf(report)).toBe(0);
    expect(stateRecords(state)).toBe(1);
    expect(expectConverged([a, b]).size).toBe(1);
    expect(a.items.size).toBe(1);
  });

  // Cradle: no SyncConflict; same UID without state is a field-level merge (LWW conflict per field, never a duplicate); "a wins" = prefer a.
  it("test_missing_status_and_different_items", async () => {
    const { a, b, state } = setup();
    a.put("1", "1", contact({ fn: "haha", tels: ["1"] }), 10);
    b.put("1", "1", contact({ fn: "hoho", emails: ["x@y"] }), 20);
    const report = await sync({ endpoints: [a, b], state });
    expectConverged([a, b]);
    expect(a.items.size).toBe(1);
    const merged = fieldsOf(a, "1") as Fields;
    expect(merged.scalars.FN).toBe("hoho"); // b modified last
    expect(merged.sets.entries).toEqual({ "TEL:1": "1", "EMAIL:x@y": "x@y" });
    expect(report.conflicts.map((c) => [c.field, c.winner])).toEqual([["FN", "memory:b"]]);
    expect(report.conflicts[0]?.values).toEqual([
      { endpoint: "memory:a", value: "haha" },
      { endpoint: "memory:b", value: "hoho" },
    ]);

    const again = setup();
    again.a.put("1", "1", contact({ fn: "haha", tels: ["1"] }), 10);
    again.b.put("1", "1", contact({ fn: "hoho", emails: ["x@y"] }), 20);
    const preferA = await sync({ endpoints: [again.a, again.b], state: again.state, prefer: "memory:a" });
    expect(fieldsOf(again.b, "1")?.scalars.FN).toBe("haha");
    expect(preferA.conflicts[0]?.reason).toBe("preferred endpoint");
    expectConverged([again.a, again.b]);
  });

  // Cradle: no partial_sync modes; a read-only side is never written and the writable side keeps its items (no revert).
  it("test_read_only_and_prefetch", async () => {
    const { a, b, state } = setup({ bReadOnly: true });
    a.put("1", "1", contact("One"));
    a.put("2", "2", contact("Two"));
    await sync({ endpoints: [a, b], state, allowEmpty: true });
    const readsAfterFirst = a.reads;
    const second = await sync({ endpoints: [a, b], state, allowEmpty: true });
    expect(writesOf(second)).toBe(0);
    expect(a.reads).toBe(readsAfterFirst);
    expect(b.writes).toBe(0);
    expect(b.items.size).toBe(0);
    expect(uids(a)).toEqual(["1", "2"]);
  });

  // Cradle: there is no "error" mode; writing only to the writable side is the normal outcome, nothing throws.
  it("test_partial_sync_error", async () => {
    const { a, b, state } = setup({ bReadOnly: true });
    a.put("0", "0", contact("Zero"));
    const report = await sync({ endpoints: [a, b], state });
    expect(report.endpoints[1]).toMatchObject({ created: 0, updated: 0, deleted: 0, failed: 0 });
    expect(b.writes).toBe(0);
    expect(b.items.size).toBe(0);
  });

  // Same outcome as vdirsyncer's "ignore": the new item stays on A only.
  it("test_partial_sync_ignore", async () => {
    const { a, b, state } = setup({ bReadOnly: true });
    a.put("0", "0", contact("Zero"));
    b.put("0", "0", contact("Zero"));
    await sync({ endpoints: [a, b], state });
    a.put("1", "1", contact("One"));
    await sync({ endpoints: [a, b], state });
    await sync({ endpoints: [a, b], state });
    expect(uids(a)).toEqual(["0", "1"]);
    expect(uids(b)).toEqual(["0"]);
    expect(b.writes).toBe(0);
  });

  // Cradle: emptying B needs allowEmpty; A (read-only) keeps the item, B stays empty until A's item changes.
  it("test_partial_sync_ignore2", async () => {
    const { a, b, state } = setup({ aReadOnly: true });
    a.put("0", "0", contact("Zero"));
    await sync({ endpoints: [a, b], state });
    expect(uids(b)).toEqual(["0"]);
    b.items.clear();
    await expect(sync({ endpoints: [a, b], state })).rejects.toBeInstanceOf(SafetyRefusal);
    await sync({ endpoints: [a, b], state, allowEmpty: true });
    await sync({ endpoints: [a, b], state, allowEmpty: true });
    expect(uids(a)).toEqual(["0"]);
    expect(b.items.size).toBe(0);
    edit(a, "0", (f) => {
      f.scalars.FN = "Zero updated";
    });
    await sync({ endpoints: [a, b], state });
    expect(fieldsOf(b, "0")?.scalars.FN).toBe("Zero updated");
    expect(a.writes).toBe(0);
  });

  // Same in Cradle.
  it("test_upload_and_update", async () => {
    const { a, b, state } = setup();
    a.put("1", "1", contact("One"));
    await sync({ endpoints: [a, b], state });
    expectConverged([a, b]);
    edit(b, "1", (f) => {
      f.scalars.FN = "One from b";
    });
    await sync({ endpoints: [a, b], state });
    expect(fieldsOf(a, "1")?.scalars.FN).toBe("One from b");
    b.put("2", "2", contact("Two"));
    await sync({ endpoints: [a, b], state });
    expect(fieldsOf(a, "2")?.scalars.FN).toBe("Two");
    edit(a, "2", (f) => {
      f.scalars.FN = "Two from a";
    });
    await sync({ endpoints: [a, b], state });
    expect(fieldsOf(b, "2")?.scalars.FN).toBe("Two from a");
    expect(expectConverged([a, b]).size).toBe(2);
  });

  // Same in Cradle (two extra records keep each deletion under the lose-more-than-half guard).
  it("test_deletion", async () => {
    const { a, b, state } = setup();
    for (const uid of ["1", "x", "y"]) a.put(uid, uid, contact(uid));
    await sync({ endpoints: [a, b], state });
    remove(b, "1");
    await sync({ endpoints: [a, b], state });
    expect(uids(a)).toEqual(["x", "y"]);
    a.put("1", "1", contact("1 again"));
    await sync({ endpoints: [a, b], state });
    expect(fieldsOf(b, "1")?.scalars.FN).toBe("1 again");
    remove(a, "1");
    await sync({ endpoints: [a, b], state });
    expect(uids(b)).toEqual(["x", "y"]);
    expectConverged([a, b]);
    expect(stateRecords(state)).toBe(2);
  });

  // Cradle has no hash-less legacy rows; the nearest is placements with an unknown token and hash: they are re-read and repaired.
  it("test_insert_hash", async () => {
    const { a, b, state } = setup();
    a.put("1", "1", contact("One"));
    await sync({ endpoints: [a, b], state });
    for (const uri of [a.uri, b.uri]) {
      const id = state.endpointId(uri);
      for (const p of placements(state, uri)) state.savePlacement(id, { ...p, token: "legacy", hash: "" });
    }
    edit(a, "1", (f) => {
      f.scalars.FN = "One updated";
    });
    await sync({ endpoints: [a, b], state });
    expect(fieldsOf(b, "1")?.scalars.FN).toBe("One updated");
    const record = state.record(state.recordsWithUid("1")[0] as number);
    for (const uri of [a.uri, b.uri]) {
      const [p] = placements(state, uri);
      expect(p?.hash).toBe(record?.hash);
      expect(p?.token).not.toBe("legacy");
    }
    const reads = a.reads + b.reads;
    await sync({ endpoints: [a, b], state });
    expect(a.reads + b.reads).toBe(reads);
  });

  // Same: with everything in sync, no write is even attempted (writes would fail).
  it("test_already_synced", async () => {
    const { a, b, state } = setup();
    a.put("1", "1", contact("One"));
    await sync({ endpoints: [a, b], state });
    const fa = new FailingEndpoint(a);
    const fb = new FailingEndpoint(b);
    for (let i = 0; i < 2; i++) {
      const report = await sync({ endpoints: [fa, fb], state });
      expect(writesOf(report)).toBe(0);
      expect(report.skipped).toEqual([]);
    }
    expect(fa.attempts + fb.attempts).toBe(0);
    expect(fa.readCalls.length + fb.readCalls.length).toBe(0);
  });

  // Cradle: no SyncConflict; the field is a logged conflict and "a wins"/"b wins" is prefer.
  it.each(["a", "b"])("test_conflict_resolution_both_etags_new[%s]", async (winner) => {
    const { a, b, state } = setup();
    a.put("1", "1", contact({ fn: "One", tels: ["1"] }));
    await sync({ endpoints: [a, b], state });
    edit(a, "1", (f) => {
      f.scalars.FN = "from a";
    });
    edit(b, "1", (f) => {
      f.scalars.FN = "from b";
    });
    const report = await sync({ endpoints: [a, b], state, prefer: `memory:${winner}` });
    expect(report.conflicts).toHaveLength(1);
    expect(report.conflicts[0]).toMatchObject({
      field: "FN",
      winner: `memory:${winner}`,
      reason: "preferred endpoint",
    });
    expect(fieldsOf(a, "1")?.scalars.FN).toBe(`from ${winner}`);
    expectConverged([a, b]);
    expect(state.conflicts()).toHaveLength(1);
  });

  // Same (modification wins), and Cradle reports the resurrection.
  it("test_updated_and_deleted", async () => {
    const { a, b, state } = setup();
    for (const uid of ["1", "x", "y"]) a.put(uid, uid, contact(uid));
    await sync({ endpoints: [a, b], state });
    remove(b, "1");
    edit(a, "1", (f) => {
      f.scalars.FN = "updated";
    });
    const report = await sync({ endpoints: [a, b], state });
    expect(fieldsOf(b, "1")?.scalars.FN).toBe("updated");
    expect(report.resurrected).toEqual([{ uid: "1", label: "updated", endpoint: "memory:b" }]);
    expectConverged([a, b]);
  });

  // Cradle: the only policy knob is prefer; naming an unknown endpoint is a SyncSetupError (exit 2).
  it("test_conflict_resolution_invalid_mode", async () => {
    const { a, b, state } = setup();
    a.put("1", "1", contact("One"));
    const error = await sync({ endpoints: [a, b], state, prefer: "yolo" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncSetupError);
    expect((error as SyncSetupError).exitCode).toBe(2);
    expect(b.items.size).toBe(0);
  });

  // Same: bogus tokens with identical content → no conflict, no write; the real tokens are stored.
  it("test_conflict_resolution_new_etags_without_changes", async () => {
    const { a, b, state } = setup();
    a.put("1", "1", contact("One"));
    await sync({ endpoints: [a, b], state });
    for (const uri of [a.uri, b.uri]) {
      const id = state.endpointId(uri);
      for (const p of placements(state, uri)) state.savePlacement(id, { ...p, token: "bogus" });
    }
    const report = await sync({ endpoints: [a, b], state });
    expect(report.conflicts).toEqual([]);
    expect(writesOf(report)).toBe(0);
    expect(placements(state, a.uri)[0]?.token).toBe(String(a.items.get("1")?.token));
    const reads = a.reads + b.reads;
    await sync({ endpoints: [a, b], state });
    expect(a.reads + b.reads).toBe(reads);
  });

  // Cradle: reads are batched through read(ids), and items with unchanged tokens are not read at all.
  it("test_uses_get_multi", async () => {
    const { a, b, state } = setup();
    for (const uid of ["1", "2", "3"]) a.put(uid, uid, contact(uid));
    await sync({ endpoints: [a, b], state });
    const wa = new WrappedEndpoint(a);
    const wb = new WrappedEndpoint(b);
    edit(a, "1", (f) => {
      f.scalars.FN = "one";
    });
    edit(a, "3", (f) => {
      f.scalars.FN = "three";
    });
    await sync({ endpoints: [wa, wb], state });
    expect(wa.readCalls).toEqual([["1", "3"]]);
    expect(wb.readCalls).toEqual([]);
  });

  // Same: replacing either side by an empty store is refused (SafetyRefusal, exit 4) and nothing is written.
  it.each([0, 1])("test_empty_storage_dataloss[side %i emptied]", async (side) => {
    const { a, b, state } = setup();
    a.put("1", "1", contact("One"));
    a.put("2", "2", contact("Two"));
    await sync({ endpoints: [a, b], state });
    const [emptied, other] = side === 0 ? [a, b] : [b, a];
    emptied.items.clear();
    const writes = other.writes;
    const error = await sync({ endpoints: [a, b], state }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetyRefusal);
    expect((error as SafetyRefusal).exitCode).toBe(4);
    expect(other.writes).toBe(writes);
    expect(other.items.size).toBe(2);
  });

  // Cradle: a UID-less item gets a fresh UID on the side it is copied to; both sides end with both items.
  it("test_no_uids", async () => {
    const { a, b, state } = setup();
    a.put("a", "", contact("ASDF"));
    b.put("b", "", contact("FOOBAR"));
    await sync({ endpoints: [a, b], state });
    const names = (e: MemoryEndpoint) => [...e.items.values()].map((i) => i.fields.scalars.FN).sort();
    expect(names(a)).toEqual(["ASDF", "FOOBAR"]);
    expect(names(b)).toEqual(["ASDF", "FOOBAR"]);
    const again = await sync({ endpoints: [a, b], state });
    expect(writesOf(again)).toBe(0);
    expect(a.items.size + b.items.size).toBe(4);
  });

  // Same: an item whose UID changes in place syncs without error and is not duplicated.
  it("test_changed_uids", async () => {
    const { a, b, state } = setup();
    a.put("x", "A-ONE", contact("One"));
    await sync({ endpoints: [a, b], state });
    a.put("x", "A-TWO", contact("One"));
    await sync({ endpoints: [a, b], state });
    a.put("x", "A-TWO", contact("One, edited"));
    await sync({ endpoints: [a, b], state });
    expect(b.items.size).toBe(1);
    expect([...b.items.values()][0]?.fields.scalars.FN).toBe("One, edited");
  });

  // Cradle: SyncSetupError (exit 2) instead of BothReadOnly.
  it("test_both_readonly", async () => {
    const { a, b, state } = setup({ aReadOnly: true, bReadOnly: true });
    a.put("1", "1", contact("One"));
    await expect(sync({ endpoints: [a, b], state })).rejects.toBeInstanceOf(SyncSetupError);
  });

  // Cradle: no revert; B (read-only) is never written, A's own edits and deletions stand and are stable.
  it("test_partial_sync_revert", async () => {
    const { a, b, state } = setup({ bReadOnly: true });
    a.put("1", "1", contact("One"));
    b.put("2", "2", contact("Two"));
    await sync({ endpoints: [a, b], state });
    expect(uids(a)).toEqual(["1", "2"]);
    expect(uids(b)).toEqual(["2"]);
    expect(writesOf(await sync({ endpoints: [a, b], state }))).toBe(0);
    edit(a, "2", (f) => {
      f.scalars.FN = "Two on a";
    });
    await sync({ endpoints: [a, b], state });
    expect(writesOf(await sync({ endpoints: [a, b], state }))).toBe(0);
    expect(fieldsOf(a, "2")?.scalars.FN).toBe("Two on a");
    expect(fieldsOf(b, "2")?.scalars.FN).toBe("Two");
    remove(a, "2");
    await sync({ endpoints: [a, b], state });
    expect(writesOf(await sync({ endpoints: [a, b], state }))).toBe(0);
    expect(uids(a)).toEqual(["1"]);
    expect(uids(b)).toEqual(["2"]);
    expect(b.writes).toBe(0);
  });

  // Cradle: two items of one side with the same UID are reported in skipped, never merged or propagated.
  it("test_ident_conflict[no_sync_inbetween]", async () => {
    const { a, b, state } = setup();
    a.put("x", "1", contact("first"));
    a.put("y", "1", contact("second"));
    a.put("z", "2", contact("other"));
    const report = await sync({ endpoints: [a, b], state });
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]?.where).toBe("memory:a y");
    expect(fieldsOf(b, "1")?.scalars.FN).toBe("first");
    expect(b.items.size).toBe(2);
    expect(a.items.size).toBe(3);
  });

  // Cradle: an item edited to another item's UID after a sync stays its own record: nothing merged, nothing lost.
  it("test_ident_conflict[sync_inbetween]", async () => {
    const { a, b, state } = setup();
    a.put("x", "1", contact("first"));
    a.put("y", "2", contact("second"));
    await sync({ endpoints: [a, b], state });
    a.put("y", "1", contact("second, now claiming UID 1"));
    await sync({ endpoints: [a, b], state });
    const names = (e: MemoryEndpoint) => [...e.items.values()].map((i) => i.fields.scalars.FN).sort();
    expect(names(b)).toEqual(["first", "second, now claiming UID 1"]);
    expect(names(a)).toEqual(["first", "second, now claiming UID 1"]);
    expect(stateRecords(state)).toBe(2);
  });

  // Same: an item renamed on B with unchanged content → no write anywhere, A is not read; then no reads at all.
  it("test_moved_href", async () => {
    const { a, b, state } = setup();
    a.put("haha", "haha", contact("Moved"));
    await sync({ endpoints: [a, b], state });
    const item = b.items.get(idOf(b, "haha"));
    if (!item) throw new Error("not copied");
    b.items.delete(idOf(b, "haha"));
    b.items.set("lol", item);
    const wa = new WrappedEndpoint(a);
    const wb = new WrappedEndpoint(b);
    const report = await sync({ endpoints: [wa, wb], state });
    expect(writesOf(report)).toBe(0);
    expect(report.skipped).toEqual([]);
    expect(wa.readCalls).toEqual([]);
    expect(wb.readCalls).toEqual([["lol"]]);
    expect(placements(state, b.uri).map((p) => p.nativeId)).toEqual(["lol"]);
    await sync({ endpoints: [wa, wb], state });
    expect(wa.readCalls.length + wb.readCalls.length).toBe(1);
    expect(uids(a)).toEqual(["haha"]);
    expect(uids(b)).toEqual(["haha"]);
  });

  // Same: both tokens move, only B's content changed → A gets B's content, B is never written.
  it("test_bogus_etag_change", async () => {
    const { a, b, state } = setup();
    a.put("1", "1", contact("One"));
    await sync({ endpoints: [a, b], state });
    a.touch("1");
    edit(b, "1", (f) => {
      f.scalars.FN = "One from b";
    });
    const writes = b.writes;
    const report = await sync({ endpoints: [a, b], state });
    expect(fieldsOf(a, "1")?.scalars.FN).toBe("One from b");
    expect(b.writes).toBe(writes);
    expect(report.conflicts).toEqual([]);
    expectConverged([a, b]);
  });

  // Same.
  it("test_unicode_hrefs", async () => {
    const { a, b, state } = setup();
    a.put("äää", "äää", contact("Ünïcödé 👋"));
    await sync({ endpoints: [a, b], state });
    expect(sorted(b.snapshot())).toEqual(sorted(a.snapshot()));
    expect(writesOf(await sync({ endpoints: [a, b], state }))).toBe(0);
  });

  // Cradle: failed writes are reported (report.skipped, failed count) and retried next run; a throwing endpoint fails the run.
  it("test_rollback[error_callback]", async () => {
    const { a, b, state } = setup();
    a.put("1", "1", contact("One"));
    a.put("2", "2", contact("Two"));
    const failing = new FailingEndpoint(b, { failUid: "2" });
    const report = await sync({ endpoints: [a, failing], state });
    expect(report.endpoints[1]).toMatchObject({ created: 1, failed: 1 });
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]?.reason).toMatch(/^create failed: refused/);
    expect(uids(b)).toEqual(["1"]);
    expect(placements(state, b.uri)).toHaveLength(1);
    const retry = await sync({ endpoints: [a, b], state });
    expect(retry.endpoints[1]).toMatchObject({ created: 1, updated: 0, failed: 0 });
    expectConverged([a, b]);
  });

  it("test_rollback[no_error_callback]", async () => {
    const { a, b, state } = setup();
    a.put("1", "1", contact("One"));
    await expect(sync({ endpoints: [a, new FailingEndpoint(b, { throws: true })], state })).rejects.toThrow(
      /unreachable/,
    );
    expect(b.items.size).toBe(0);
    await sync({ endpoints: [a, b], state });
    expectConverged([a, b]);
    expect(a.items.size).toBe(1);
  });

  // Cradle: an endpoint listing an id twice is an error (a bug guard), and nothing is written.
  it("test_duplicate_hrefs", async () => {
    const { a, b, state } = setup();
    a.put("1", "1", contact("One"));
    await sync({ endpoints: [a, b], state });
    edit(b, "1", (f) => {
      f.scalars.FN = "changed";
    });
    const writes = a.writes + b.writes;
    await expect(sync({ endpoints: [new RepeatingListEndpoint(a, 3), b], state })).rejects.toThrow(
      /listed 1 twice/,
    );
    expect(a.writes + b.writes).toBe(writes);
    expect(fieldsOf(a, "1")?.scalars.FN).toBe("One");
  });
});
