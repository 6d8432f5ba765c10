/** Shared helpers for engine tests: contact-shaped Fields and MemoryEndpoint inspection. */
import { expect } from "vitest";
import type { MemoryEndpoint } from "../../src/adapters/memory/endpoint.js";
import { canonicalJson, type Fields } from "../../src/core/fields.js";
import type { SyncReport } from "../../src/merge/sync.js";

export interface ContactSpec {
  fn: string;
  tels?: string[];
  emails?: string[];
  note?: string;
  org?: string;
}

/** A contact as an adapter would hand it to the engine. Empty parts are left out. */
export function contact(spec: ContactSpec | string): Fields {
  const s = typeof spec === "string" ? { fn: spec } : spec;
  const entries: Record<string, string> = {};
  for (const t of s.tels ?? []) entries[`TEL:${t}`] = t;
  for (const e of s.emails ?? []) entries[`EMAIL:${e}`] = e;
  const fields: Fields = { scalars: { FN: s.fn }, texts: {}, sets: {} };
  if (s.org !== undefined) fields.scalars.ORG = s.org;
  if (s.note !== undefined) fields.texts.NOTE = s.note;
  if (Object.keys(entries).length > 0) fields.sets.entries = entries;
  return fields;
}

/** The native id under which an endpoint holds the item with this UID (fails if absent). */
export function idOf(endpoint: MemoryEndpoint, uid: string): string {
  const found = [...endpoint.items].filter(([, item]) => item.uid === uid);
  if (found.length !== 1) throw new Error(`${endpoint.uri} holds ${found.length} items with UID ${uid}`);
  return (found[0] as [string, unknown])[0];
}

export function fieldsOf(endpoint: MemoryEndpoint, uid: string): Fields | undefined {
  const found = [...endpoint.items.values()].find((item) => item.uid === uid);
  return found ? structuredClone(found.fields) : undefined;
}

/** Edits the item with this UID as a user would (fresh token and modification time). */
export function edit(endpoint: MemoryEndpoint, uid: string, change: (f: Fields) => void, modified?: number) {
  const id = idOf(endpoint, uid);
  const fields = fieldsOf(endpoint, uid) as Fields;
  change(fields);
  for (const [name, set] of Object.entries(fields.sets))
    if (Object.keys(set).length === 0) delete fields.sets[name];
  endpoint.put(id, uid, fields, modified);
}

export function remove(endpoint: MemoryEndpoint, uid: string): void {
  endpoint.items.delete(idOf(endpoint, uid));
}

export function uids(endpoint: MemoryEndpoint): string[] {
  return [...endpoint.items.values()].map((i) => i.uid).sort();
}

/** Total creates, updates and deletes a run made. */
export function writesOf(report: SyncReport): number {
  return report.endpoints.reduce((n, e) => n + e.created + e.updated + e.deleted, 0);
}

/** Every endpoint holds the same records (by UID and content), each UID once. */
export function expectConverged(endpoints: MemoryEndpoint[]): Map<string, string> {
  const first = endpoints[0]?.snapshot() ?? new Map<string, string>();
  for (const endpoint of endpoints) {
    expect(endpoint.items.size, `${endpoint.uri} holds a UID twice`).toBe(endpoint.snapshot().size);
    expect(sorted(endpoint.snapshot()), `${endpoint.uri} differs`).toEqual(sorted(first));
  }
  return first;
}

export function sorted(snapshot: Map<string, string>): [string, string][] {
  return [...snapshot].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function same(a: Fields | undefined, b: Fields | undefined): boolean {
  return (
    (a === undefined) === (b === undefined) && (a === undefined || canonicalJson(a) === canonicalJson(b))
  );
}
