/**
 * Unison's definition of a safe two-way sync (research sync-anchors.md §2, properties 1–11) as
 * fast-check model tests: random contact-shaped records, random edit schedules on 2–4 endpoints,
 * checked against the reference model in test/support/model.ts. Crash safety (property 8) lives
 * in crash-safety.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryEndpoint } from "../../src/adapters/memory/endpoint.js";
import { canonicalJson } from "../../src/core/fields.js";
import { SafetyRefusal } from "../../src/merge/errors.js";
import { type SyncReport, sync } from "../../src/merge/sync.js";
import { SyncState } from "../../src/state/store.js";
import { expectConverged, fieldsOf, same, sorted, writesOf } from "../support/fields.js";
import { arbFields, type Expected, expectedMerge, get, PATHS, pathName, without } from "../support/model.js";
import {
  allUids,
  applyEdits,
  arbSchedule,
  archive,
  baseOf,
  endpointsFor,
  sideValues,
  uidOf,
} from "../support/scenario.js";

/** CRADLE_RUNS=500 npx vitest run test/merge for a deeper search. */
const RUNS = Number(process.env.CRADLE_RUNS ?? 60);

/** Checks one record's outcome against the model: value on every side, text merges, conflict log. */
function checkRecord(uid: string, expected: Expected, endpoints: MemoryEndpoint[], report: SyncReport): void {
  for (const endpoint of endpoints) {
    const actual = fieldsOf(endpoint, uid);
    expect(actual === undefined, `${uid} present on ${endpoint.uri}`).toBe(expected.fields === undefined);
    expect(canonicalJson(without(actual, expected.textMerged) ?? null)).toBe(
      canonicalJson(expected.fields ?? null),
    );
  }
  const merged = report.textMerges.filter((t) => t.uid === uid).map((t) => t.field);
  expect(merged.sort()).toEqual([...expected.textMerged].sort());
  const logged = report.conflicts.filter((c) => c.uid === uid);
  expect(logged.map((c) => c.field).sort()).toEqual(expected.conflicts.map((c) => c.field).sort());
  for (const c of expected.conflicts) {
    if (c.winner) expect(logged.find((l) => l.field === c.field)?.winner).toBe(c.winner);
  }
}

describe("Unison properties (model-based)", () => {
  it("1–7: no invention, propagation, no silent overwrite, false conflicts, maximality, archive, quiescence", async () => {
    await fc.assert(
      fc.asyncProperty(arbSchedule(2, 4), async (s) => {
        const endpoints = endpointsFor(s.edits.length);
        const state = SyncState.open(":memory:");
        await archive(endpoints, s.initial, state);
        applyEdits(endpoints, s);

        const before = new Map(allUids(s).map((uid) => [uid, sideValues(endpoints, uid)]));
        const expected = new Map(
          allUids(s).map((uid) => [uid, expectedMerge(baseOf(s, uid), before.get(uid) ?? [])]),
        );
        const report = await sync({ endpoints, state, allowEmpty: true });

        // 5 maximality: everything converges (Cradle settles every conflict).
        expectConverged(endpoints);
        for (const uid of allUids(s)) {
          const exp = expected.get(uid) as Expected;
          const sides = before.get(uid) ?? [];
          // 2 one-sided change propagates; 3 no silent overwrite (fields changed on one side keep it, conflicts logged).
          checkRecord(uid, exp, endpoints, report);
          // 1 no invention: every value comes from the archive or from some side.
          const actual = fieldsOf(endpoints[0] as MemoryEndpoint, uid);
          const base = baseOf(s, uid);
          for (const p of PATHS) {
            if (p.part === "texts" && exp.textMerged.includes(pathName(p))) continue;
            const v = get(actual, p);
            if (v !== undefined) expect([get(base, p), ...sides.map((x) => get(x.fields, p))]).toContain(v);
          }
          // 6 archive: the state's agreed value is what every side now holds.
          const [record] = state.recordsWithUid(uid);
          if (actual === undefined) expect(record).toBeUndefined();
          else expect(same(state.record(record as number)?.base, actual)).toBe(true);
        }
        // 4 false conflicts and minimal writes: a side is written only where it differs from the result.
        endpoints.forEach((endpoint, e) => {
          let created = 0;
          let updated = 0;
          let deleted = 0;
          for (const uid of allUids(s)) {
            const had = before.get(uid)?.[e]?.fields;
            const now = fieldsOf(endpoint, uid);
            if (!had && now) created++;
            else if (had && !now) deleted++;
            else if (had && now && !same(had, now)) updated++;
          }
          expect(report.endpoints[e]).toMatchObject({ created, updated, deleted, failed: 0 });
        });

        // 7 quiescence: a second sync reads nothing, writes nothing, logs nothing.
        const reads = endpoints.map((e) => e.reads);
        const again = await sync({ endpoints, state, allowEmpty: true });
        expect(writesOf(again)).toBe(0);
        expect(again.conflicts).toEqual([]);
        expect(endpoints.map((e) => e.reads)).toEqual(reads);
        state.close();
      }),
      { numRuns: RUNS },
    );
  });

  it("9: conservative detection — token churn without content change writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbFields, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 2, max: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 10 }),
        async (initial, n, touches) => {
          const endpoints = endpointsFor(n);
          const state = SyncState.open(":memory:");
          await archive(endpoints, initial, state);
          const snapshots = endpoints.map((e) => sorted(e.snapshot()));
          const touched = new Set<string>();
          for (const [e, r] of touches) {
            const endpoint = endpoints[e % n] as MemoryEndpoint;
            const ids = [...endpoint.items.keys()].sort();
            const id = ids[r % ids.length] as string;
            endpoint.touch(id);
            touched.add(`${e % n}/${id}`);
          }
          const reads = endpoints.reduce((x, e) => x + e.reads, 0);
          const report = await sync({ endpoints, state });
          expect(writesOf(report)).toBe(0);
          expect(report.conflicts).toEqual([]);
          expect(endpoints.map((e) => sorted(e.snapshot()))).toEqual(snapshots);
          // Only the touched items were read, and the new tokens were recorded: the next run reads nothing.
          expect(endpoints.reduce((x, e) => x + e.reads, 0) - reads).toBe(touched.size);
          const after = endpoints.reduce((x, e) => x + e.reads, 0);
          expect(writesOf(await sync({ endpoints, state }))).toBe(0);
          expect(endpoints.reduce((x, e) => x + e.reads, 0)).toBe(after);
          state.close();
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("10: empty-side guard — an emptied side or a mass deletion is refused and changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbFields, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 2, max: 4 }),
        fc.nat(),
        fc.boolean(),
        async (initial, n, victim, wholly) => {
          const endpoints = endpointsFor(n);
          const state = SyncState.open(":memory:");
          await archive(endpoints, initial, state);
          const target = endpoints[victim % n] as MemoryEndpoint;
          const ids = [...target.items.keys()].sort();
          // Wholly emptied, or more than half of its records deleted (but not all).
          const drop = wholly || ids.length === 1 ? ids.length : Math.floor(ids.length / 2) + 1;
          for (const id of ids.slice(0, drop)) target.items.delete(id);
          const snapshots = endpoints.map((e) => sorted(e.snapshot()));
          const writes = endpoints.map((e) => e.writes);
          const records = [...state.recordHashes()];
          const error = await sync({ endpoints, state }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(SafetyRefusal);
          expect((error as SafetyRefusal).exitCode).toBe(4);
          expect(endpoints.map((e) => e.writes)).toEqual(writes);
          expect(endpoints.map((e) => sorted(e.snapshot()))).toEqual(snapshots);
          expect([...state.recordHashes()]).toEqual(records);
          // With the explicit flag, the deletion is what the user wanted: it propagates.
          await sync({ endpoints, state, allowEmpty: true });
          expectConverged(endpoints);
          expect(endpoints.map((e) => e.items.size)).toEqual(endpoints.map(() => ids.length - drop));
          state.close();
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("11: first sync without an archive — union by UID, equal items silent, never a duplicate", async () => {
    const arbSide = fc.array(
      fc.option(fc.record({ fields: arbFields, modified: fc.integer({ min: 1, max: 4 }) })),
      {
        minLength: 3,
        maxLength: 3,
      },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }).chain((n) => fc.array(arbSide, { minLength: n, maxLength: n })),
        async (sides) => {
          const endpoints = endpointsFor(sides.length);
          for (const [e, records] of sides.entries())
            for (const [k, r] of records.entries())
              if (r) endpoints[e]?.put(`id-${e}-${k}`, `U${k}`, r.fields, r.modified);
          const uids = [0, 1, 2].map(uidOf).filter((_, k) => sides.some((records) => records[k]));
          const before = new Map(uids.map((uid) => [uid, sideValues(endpoints, uid)]));
          const state = SyncState.open(":memory:");
          const report = await sync({ endpoints, state });
          expectConverged(endpoints);
          for (const endpoint of endpoints) expect([...endpoint.snapshot().keys()].sort()).toEqual(uids);
          for (const uid of uids) {
            const exp = expectedMerge(undefined, before.get(uid) ?? []);
            expect(exp.textMerged).toEqual([]);
            checkRecord(uid, exp, endpoints, report);
            const present = (before.get(uid) ?? []).filter((x) => x.fields);
            if (present.every((x) => same(x.fields, present[0]?.fields)))
              expect(report.conflicts.filter((c) => c.uid === uid)).toEqual([]);
          }
          expect(state.recordHashes().size).toBe(uids.length);
          state.close();
        },
      ),
      { numRuns: RUNS },
    );
  });
  it("read-only sides take part in the merge but are never written; the writable ones converge", async () => {
    await fc.assert(
      fc.asyncProperty(arbSchedule(2, 4), async (s) => {
        const n = s.edits.length;
        const endpoints = Array.from(
          { length: n },
          (_, i) => new MemoryEndpoint(`memory:e${i}`, "contacts", i === n - 1),
        );
        const readOnly = endpoints[n - 1] as MemoryEndpoint;
        const writable = endpoints.slice(0, -1);
        // The same records everywhere before the first sync: it matches them and writes nothing.
        for (const e of endpoints) for (const [i, f] of s.initial.entries()) e.put(uidOf(i), uidOf(i), f);
        const state = SyncState.open(":memory:");
        expect(writesOf(await sync({ endpoints, state }))).toBe(0);
        applyEdits(endpoints, s);
        const before = new Map(allUids(s).map((uid) => [uid, sideValues(endpoints, uid)]));
        const untouched = sorted(readOnly.snapshot());
        const report = await sync({ endpoints, state, allowEmpty: true });
        expect(readOnly.writes).toBe(0);
        expect(sorted(readOnly.snapshot())).toEqual(untouched);
        expectConverged(writable);
        for (const uid of allUids(s))
          checkRecord(uid, expectedMerge(baseOf(s, uid), before.get(uid) ?? []), writable, report);
        expect(writesOf(await sync({ endpoints, state, allowEmpty: true }))).toBe(0);
        state.close();
      }),
      { numRuns: RUNS },
    );
  });
});
