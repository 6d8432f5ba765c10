/** Random edit schedules over MemoryEndpoints, shared by the property tests. */
import fc from "fast-check";
import { MemoryEndpoint } from "../../src/adapters/memory/endpoint.js";
import type { Fields } from "../../src/core/fields.js";
import { sync } from "../../src/merge/sync.js";
import type { SyncState } from "../../src/state/store.js";
import { fieldsOf } from "./fields.js";
import { applyPatch, arbEdit, arbFields, type SideValue, type UserEdit } from "./model.js";

/** A synced starting point (the archive), then one round of user edits on every endpoint. */
export interface Schedule {
  initial: Fields[];
  /** edits[endpoint][record] */
  edits: UserEdit[][];
  /** created[endpoint][k]: a record "N<k>" created there (k < 2, so creations collide). */
  created: ({ fields: Fields; modified: number } | null)[][];
}

export function arbSchedule(
  minEndpoints: number,
  maxEndpoints: number,
  edit = arbEdit,
): fc.Arbitrary<Schedule> {
  return fc.integer({ min: minEndpoints, max: maxEndpoints }).chain((n) =>
    fc.integer({ min: 1, max: 4 }).chain((records) =>
      fc.record({
        initial: fc.array(arbFields, { minLength: records, maxLength: records }),
        edits: fc.array(fc.array(edit, { minLength: records, maxLength: records }), {
          minLength: n,
          maxLength: n,
        }),
        created: fc.array(
          fc.array(
            fc.option(fc.record({ fields: arbFields, modified: fc.integer({ min: 1, max: 4 }) }), {
              freq: 3,
            }),
            { minLength: 2, maxLength: 2 },
          ),
          { minLength: n, maxLength: n },
        ),
      }),
    ),
  );
}

export const uidOf = (i: number) => `U${i}`;

export function allUids(s: Schedule): string[] {
  return [...s.initial.map((_, i) => uidOf(i)), "N0", "N1"];
}

export function baseOf(s: Schedule, uid: string): Fields | undefined {
  return uid.startsWith("N") ? undefined : s.initial[Number(uid.slice(1))];
}

export function endpointsFor(n: number): MemoryEndpoint[] {
  return Array.from({ length: n }, (_, i) => new MemoryEndpoint(`memory:e${i}`));
}

/** Puts the initial records on the first endpoint and syncs them to the others. */
export async function archive(
  endpoints: MemoryEndpoint[],
  initial: Fields[],
  state: SyncState,
): Promise<void> {
  const [first] = endpoints;
  for (const [i, f] of initial.entries()) first?.put(uidOf(i), uidOf(i), f);
  await sync({ endpoints, state });
}

/** Applies the schedule's edits; `endpoints` must be in schedule order (e0, e1, ...). */
export function applyEdits(endpoints: MemoryEndpoint[], s: Schedule): void {
  endpoints.forEach((endpoint, e) => {
    s.initial.forEach((_, r) => {
      const uid = uidOf(r);
      const id = [...endpoint.items].find(([, item]) => item.uid === uid)?.[0];
      if (id === undefined) throw new Error(`${endpoint.uri} does not hold ${uid}`);
      const edit = s.edits[e]?.[r] ?? { kind: "keep" };
      if (edit.kind === "touch") endpoint.touch(id);
      else if (edit.kind === "delete") endpoint.items.delete(id);
      else if (edit.kind === "patch")
        endpoint.put(id, uid, applyPatch(fieldsOf(endpoint, uid) as Fields, edit.patch), edit.modified);
    });
    (s.created[e] ?? []).forEach((c, k) => {
      if (c) endpoint.put(`new-${k}`, `N${k}`, c.fields, c.modified);
    });
  });
}

/** What each endpoint holds of a UID right now. */
export function sideValues(endpoints: MemoryEndpoint[], uid: string): SideValue[] {
  return endpoints.map((endpoint) => {
    const item = [...endpoint.items.values()].find((i) => i.uid === uid);
    return {
      endpoint: endpoint.uri,
      fields: item ? structuredClone(item.fields) : undefined,
      modified: item?.modified ?? 0,
    };
  });
}
