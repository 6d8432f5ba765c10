import type { CollectionMeta, Endpoint } from "../core/endpoint.js";

/**
 * Carries a collection's name and colour to the endpoints that have none, as vdirsyncer's
 * metasync does. A value already set on a side is never overwritten: names and colours are the
 * user's choice per app. Returns what was written where.
 */
export async function fillCollectionMeta(
  endpoints: Endpoint[],
): Promise<{ endpoint: string; meta: CollectionMeta }[]> {
  const metas = await Promise.all(endpoints.map((e) => e.readCollection?.() ?? Promise.resolve(undefined)));
  const known: CollectionMeta = {};
  for (const meta of metas) {
    known.displayName ??= meta?.displayName;
    known.color ??= meta?.color;
  }
  const written: { endpoint: string; meta: CollectionMeta }[] = [];
  for (const [i, endpoint] of endpoints.entries()) {
    const meta = metas[i];
    if (!meta || endpoint.readOnly || !endpoint.writeCollection) continue;
    const missing: CollectionMeta = {};
    if (!meta.displayName && known.displayName) missing.displayName = known.displayName;
    if (!meta.color && known.color) missing.color = known.color;
    if (Object.keys(missing).length === 0) continue;
    await endpoint.writeCollection(missing);
    written.push({ endpoint: endpoint.uri, meta: missing });
  }
  return written;
}
