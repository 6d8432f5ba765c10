/**
 * Algebraic laws of the merge (research sync-anchors.md §2 property 12), on contact-shaped Fields:
 * commutativity (endpoint order), idempotence, schedule independence (all at once vs. pairwise
 * chains with separate state databases), no lost edit, and mergeRecord's fast path agreeing with
 * its CRDT path.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MemoryEndpoint } from "../../src/adapters/memory/endpoint.js";
import { canonicalJson, type Fields } from "../../src/core/fields.js";
import { mergeRecord } from "../../src/merge/merge-record.js";
import { sync } from "../../src/merge/sync.js";
import { SyncState } from "../../src/state/store.js";
import { expectConverged, fieldsOf, sorted, writesOf } from "../support/fields.js";
import { applyPatch, arbFields, arbPatch, get, PATHS, type Patch, set } from "../support/model.js";
import {
  allUids,
  applyEdits,
  arbSchedule,
  archive,
  baseOf,
  endpointsFor,
  type Schedule,
  sideValues,
} from "../support/scenario.js";

/** CRADLE_RUNS=500 npx vitest run test/merge for a deeper search. */
const RUNS = Number(process.env.CRADLE_RUNS ?? 40);

/** Runs archive, edits and one sync, passing the endpoints to sync() in the given order. */
async function world(s: Schedule, order: number[]) {
  const endpoints = endpointsFor(s.edits.length);
  const ordered = order.map((i) => endpoints[i] as MemoryEndpoint);
  const state = SyncState.open(":memory:");
  await archive(endpoints, s.initial, state);
  applyEdits(endpoints, s);
  const report = await sync({ endpoints: ordered, state, allowEmpty: true });
  return { endpoints, state, report };
}

const arbScheduleAndOrder = arbSchedule(2, 4).chain((s) =>
  fc.tuple(fc.constant(s), fc.shuffledSubarray([...s.edits.keys()], { minLength: s.edits.length })),
);

describe("merge laws: sync()", () => {
  it("is commutative: the order of the endpoints does not change the result", async () => {
    await fc.assert(
      fc.asyncProperty(arbScheduleAndOrder, async ([s, order]) => {
        const straight = await world(
          s,
          s.edits.map((_, i) => i),
        );
        const shuffled = await world(s, order);
        straight.endpoints.forEach((endpoint, i) => {
          expect(sorted((shuffled.endpoints[i] as MemoryEndpoint).snapshot())).toEqual(
            sorted(endpoint.snapshot()),
          );
        });
        const key = (c: { uid: string; field: string; winner: string }) => `${c.uid}/${c.field}/${c.winner}`;
        expect(shuffled.report.conflicts.map(key).sort()).toEqual(straight.report.conflicts.map(key).sort());
        straight.state.close();
        shuffled.state.close();
      }),
      { numRuns: RUNS },
    );
  });

  it("is idempotent: syncing again changes nothing, on the sides or in the state", async () => {
    await fc.assert(
      fc.asyncProperty(arbScheduleAndOrder, async ([s, order]) => {
        const { endpoints, state } = await world(s, order);
        const snapshots = endpoints.map((e) => sorted(e.snapshot()));
        const records = [...state.recordHashes()];
        const again = await sync({ endpoints: order.map((i) => endpoints[i] as MemoryEndpoint), state });
        expect(writesOf(again)).toBe(0);
        expect(endpoints.map((e) => sorted(e.snapshot()))).toEqual(snapshots);
        expect([...state.recordHashes()]).toEqual(records);
        state.close();
      }),
      { numRuns: RUNS },
    );
  });

  it("is schedule-independent: all at once vs. pairwise chains with separate states agree on non-conflicting fields", async () => {
    await fc.assert(
      fc.asyncProperty(arbSchedule(3, 3), async (s) => {
        // All three at once, one state.
        const together = endpointsFor(3);
        const state = SyncState.open(":memory:");
        await archive(together, s.initial, state);
        applyEdits(together, s);
        const before = new Map(allUids(s).map((uid) => [uid, sideValues(together, uid)]));
        await sync({ endpoints: together, state, allowEmpty: true });
        expectConverged(together);

        // A–B and B–C with their own states, chained: AB, BC, AB, then a final BC round.
        const [a, b, c] = endpointsFor(3) as [MemoryEndpoint, MemoryEndpoint, MemoryEndpoint];
        const ab = SyncState.open(":memory:");
        const bc = SyncState.open(":memory:");
        await archive([a, b], s.initial, ab);
        await sync({ endpoints: [b, c], state: bc });
        applyEdits([a, b, c], s);
        await sync({ endpoints: [a, b], state: ab, allowEmpty: true });
        await sync({ endpoints: [b, c], state: bc, allowEmpty: true });
        await sync({ endpoints: [a, b], state: ab, allowEmpty: true });
        const last = await sync({ endpoints: [b, c], state: bc, allowEmpty: true });
        expect(writesOf(last)).toBe(0);
        expectConverged([a, b, c]);

        for (const uid of allUids(s)) {
          const x = fieldsOf(together[0] as MemoryEndpoint, uid);
          const y = fieldsOf(a, uid);
          expect(x === undefined, `${uid} presence`).toBe(y === undefined);
          const base = baseOf(s, uid);
          for (const p of PATHS) {
            const edits = new Set(
              (before.get(uid) ?? [])
                .filter((v) => v.fields && get(v.fields, p) !== get(base, p))
                .map((v) => get(v.fields, p))
                .filter((v) => v !== undefined),
            );
            if (edits.size <= 1) expect(get(y, p), `${uid} ${p.key}`).toBe(get(x, p));
          }
        }
        for (const st of [state, ab, bc]) st.close();
      }),
      { numRuns: RUNS },
    );
  });

  it("loses no edit: every added set entry and every text insertion survives, each once", async () => {
    const arbSide = fc.record({
      adds: fc.array(fc.constantFrom("1", "2", "3"), { maxLength: 3 }),
      insertAt: fc.nat(),
      insert: fc.integer({ min: 0, max: 3 }),
      fn: fc.option(fc.constantFrom("a", "b")),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[a-e ]{0,12}$/),
        fc.array(fc.array(arbSide, { minLength: 2, maxLength: 2 }), { minLength: 2, maxLength: 4 }),
        async (note, rounds) => {
          const n = rounds.length;
          const endpoints = endpointsFor(n);
          const state = SyncState.open(":memory:");
          await archive(endpoints, [{ scalars: { FN: "x" }, texts: { NOTE: note }, sets: {} }], state);
          const markers: string[] = [];
          const entries = new Set<string>();
          // Two rounds, so the second one merges through the CRDT document the first one created.
          for (let round = 0; round < 2; round++) {
            const firstOfRound = markers.length;
            endpoints.forEach((endpoint, e) => {
              const side = rounds[e]?.[round];
              if (!side) return;
              const id = [...endpoint.items.keys()][0] as string;
              const f = structuredClone(endpoint.items.get(id)?.fields) as Fields;
              for (const k of side.adds) {
                const key = `X:${round}-${e}-${k}`;
                set(f, { part: "sets", set: "entries", key }, k);
                entries.add(key);
              }
              if (side.insert > 0) {
                // One letter per side and round: no neighbour repeats it, so the text diff is unambiguous.
                const marker = String.fromCharCode(65 + e * 2 + round).repeat(side.insert);
                const text = f.texts.NOTE ?? "";
                const at = side.insertAt % (text.length + 1);
                f.texts.NOTE = text.slice(0, at) + marker + text.slice(at);
                markers.push(marker);
              }
              if (side.fn) f.scalars.FN = side.fn;
              endpoint.put(id, "U0", f);
            });
            await sync({ endpoints, state });
            expectConverged(endpoints);
            const merged = fieldsOf(endpoints[0] as MemoryEndpoint, "U0") as Fields;
            for (const key of entries) expect(merged.sets.entries?.[key], key).toBeDefined();
            const text = merged.texts.NOTE ?? "";
            // This round's insertions are whole (a later round may type inside an earlier one).
            for (const marker of markers.slice(firstOfRound)) expect(text).toContain(marker);
            // Every inserted character is there exactly once, and the original text is intact around them.
            const count = (str: string, ch: string) => str.split(ch).length - 1;
            const typed = markers.join("");
            for (const ch of new Set(typed)) expect(count(text, ch), ch).toBe(count(typed, ch));
            expect(text.length).toBe(note.length + typed.length);
            expect(text.replace(/[A-Z]/g, "")).toBe(note);
          }
          state.close();
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/** Creates a record's CRDT document by merging two concurrent note edits once. */
async function withDoc(base: Fields) {
  const note = base.texts.NOTE ?? "";
  const left = structuredClone(base);
  left.texts.NOTE = `${note}<`;
  const right = structuredClone(base);
  right.texts.NOTE = `>${note}`;
  const first = await mergeRecord({
    uid: "U",
    label: "U",
    base: { ...base, texts: { ...base.texts, NOTE: note } },
    doc: undefined,
    changed: [
      { endpoint: "memory:left", fields: left, modified: 1 },
      { endpoint: "memory:right", fields: right, modified: 1 },
    ],
    policy: {},
  });
  if (!first.doc) throw new Error("a text merge must create the document");
  return { merged: first.merged, doc: first.doc };
}

/** One changed side per patch, each its own endpoint, modified at the given time. */
function changedSides(base: Fields, patches: [Patch, number][]) {
  return patches.map(([p, modified], i) => ({
    endpoint: `memory:s${i}`,
    fields: applyPatch(base, p),
    modified,
  }));
}

/** Patches touching disjoint paths, so that each field is changed by one side only. */
function disjoint(patches: Patch[]): Patch[] {
  return patches.map((patch, side) => patch.map((op, i) => (i % patches.length === side ? op : "keep")));
}

describe("merge laws: mergeRecord()", () => {
  it("the fast path (no document) gives the same result as the CRDT path", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbFields,
        fc.array(arbPatch, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (start, patches, duplicate) => {
          const { merged: base, doc } = await withDoc(start);
          const sides = disjoint(patches).map((p, i) => ({
            endpoint: `memory:s${i}`,
            fields: applyPatch(base, p),
            modified: i + 1,
          }));
          // The same change on a second side is still one change.
          const first = sides[0];
          if (duplicate && first) sides.push({ ...first, endpoint: "memory:twin" });
          const input = { uid: "U", label: "U", base, policy: {}, changed: sides };
          const fast = await mergeRecord({ ...input, doc: undefined });
          const crdt = await mergeRecord({ ...input, doc });
          expect(fast.doc).toBeUndefined();
          expect(canonicalJson(crdt.merged)).toBe(canonicalJson(fast.merged));
          expect(crdt.conflicts).toEqual(fast.conflicts);
          expect(fast.conflicts).toEqual([]);
          if (crdt.merged !== base) expect(crdt.doc).toBeDefined();
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it("without text to merge, conflicts settled directly give what the CRDT path gives", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbFields,
        fc.array(fc.tuple(arbPatch, fc.integer({ min: 1, max: 3 })), { minLength: 2, maxLength: 4 }),
        fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
        async (start, patches, preferred) => {
          const { merged: base, doc } = await withDoc(start);
          const sides = changedSides(base, patches);
          const prefer = preferred === undefined ? undefined : `memory:s${preferred}`;
          const input = { uid: "U", label: "U", base, policy: { prefer }, changed: sides };
          const fast = await mergeRecord({ ...input, doc: undefined });
          fc.pre(fast.textMerges.length === 0);
          const crdt = await mergeRecord({ ...input, doc });
          expect(fast.doc).toBeUndefined();
          expect(canonicalJson(fast.merged)).toBe(canonicalJson(crdt.merged));
          expect(fast.conflicts).toEqual(crdt.conflicts);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it("does not depend on the order of the changed sides, with or without a document", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbFields,
        fc.array(fc.tuple(arbPatch, fc.integer({ min: 1, max: 3 })), { minLength: 2, maxLength: 4 }),
        fc.boolean(),
        async (start, patches, useDoc) => {
          const { merged: base, doc } = await withDoc(start);
          const sides = changedSides(base, patches);
          const input = { uid: "U", label: "U", base, policy: {}, doc: useDoc ? doc : undefined };
          const forward = await mergeRecord({ ...input, changed: sides });
          const backward = await mergeRecord({ ...input, changed: [...sides].reverse() });
          expect(canonicalJson(backward.merged)).toBe(canonicalJson(forward.merged));
          expect(backward.conflicts).toEqual(forward.conflicts);
          // Idempotent: the merged value handed back as the only change is no change.
          const again = await mergeRecord({
            ...input,
            base: forward.merged,
            doc: forward.doc,
            changed: [{ endpoint: "memory:s0", fields: forward.merged, modified: 9 }],
          });
          expect(canonicalJson(again.merged)).toBe(canonicalJson(forward.merged));
          expect(again.conflicts).toEqual([]);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
