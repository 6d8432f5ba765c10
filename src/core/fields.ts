/**
 * The domain-neutral shape every record takes on its way into the merge engine.
 *
 * Adapters turn their records (a vCard, an event, an album) into Fields; the engine merges
 * Fields and never sees a file format. Each part has one merge rule:
 * - `scalars`: last-writer-wins registers; a value changed on two sides is a logged conflict;
 * - `texts`: free text (NOTE, DESCRIPTION) that merges character by character;
 * - `sets`: named maps of entries keyed by a stable id or normalized value. Additions on every
 *   side survive; each entry is itself a last-writer-wins register.
 * All values are strings so that equal content always hashes and compares equal.
 */
export interface Fields {
  scalars: Record<string, string>;
  texts: Record<string, string>;
  sets: Record<string, Record<string, string>>;
}

/** JSON with sorted keys, so equal Fields always serialize (and hash) to the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Canonical JSON for Fields (keys sorted as strings at every level), without building sorted
 * copies: this runs once per read record, on the hot path of every sync.
 */
export function canonicalFieldsJson(fields: Fields): string {
  const sets = Object.keys(fields.sets)
    .sort()
    .map((name) => `${JSON.stringify(name)}:${flatJson(fields.sets[name] as Record<string, string>)}`);
  return `{"scalars":${flatJson(fields.scalars)},"sets":{${sets.join(",")}},"texts":${flatJson(fields.texts)}}`;
}

function flatJson(map: Record<string, string>): string {
  const parts = Object.keys(map)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${JSON.stringify(map[key])}`);
  return `{${parts.join(",")}}`;
}
