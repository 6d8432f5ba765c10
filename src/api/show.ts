import { openEndpoint } from "../adapters/resolve.js";
import type { Domain, ReadError, SyncItem } from "../core/endpoint.js";

export interface ShowResult {
  items: SyncItem[];
  errors: ReadError[];
}

/** Everything an endpoint holds, read and parsed, with what could not be read. */
export async function showEndpoint(domain: Domain, spec: string): Promise<ShowResult> {
  const endpoint = await openEndpoint(domain, spec);
  const listed = await endpoint.list();
  const results = await endpoint.read(listed.map((l) => l.id));
  const items: SyncItem[] = [];
  const errors: ReadError[] = [];
  for (const result of results.values()) {
    if (result.ok) items.push(result.item);
    else errors.push(result.error);
  }
  items.sort((a, b) => a.label.localeCompare(b.label) || a.uid.localeCompare(b.uid));
  return { items, errors };
}
