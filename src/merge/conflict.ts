/** One side's value for a field that more than one side changed. `undefined` means it deleted it. */
export interface ConflictValue {
  endpoint: string;
  value: string | undefined;
}

/** A field changed on several sides, and how it was settled. Every value is kept for the log. */
export interface Conflict {
  uid: string;
  label: string;
  field: string;
  values: ConflictValue[];
  winner: string;
  /** "endpoint order": album registers, where the side whose URI sorts last wins (src/merge/albums). */
  reason: "preferred endpoint" | "modified last" | "edit beats delete" | "endpoint order";
}

/** A side that changed the record, as the conflict policy needs it. */
export interface ChangedSide {
  endpoint: string;
  modified: number;
}

export interface ConflictPolicy {
  /** Endpoint URI whose value wins every conflict it takes part in. */
  prefer?: string;
}

/**
 * Picks the winning side among those that set a field to different values. Deletions never
 * win against edits. The choice depends only on the candidates, never on their order, so
 * merges stay commutative.
 */
export function pickWinner(
  candidates: (ChangedSide & { value: string | undefined })[],
  policy: ConflictPolicy,
): { endpoint: string; value: string | undefined; reason: Conflict["reason"] } {
  const edits = candidates.filter((c) => c.value !== undefined);
  const pool = edits.length > 0 ? edits : candidates;
  const preferred = pool.find((c) => c.endpoint === policy.prefer);
  if (preferred) return { ...preferred, reason: "preferred endpoint" };
  const best = [...pool].sort(
    (a, b) =>
      b.modified - a.modified || compare(a.endpoint, b.endpoint) || compare(a.value ?? "", b.value ?? ""),
  )[0];
  if (!best) throw new Error("pickWinner needs at least one candidate");
  const reason =
    edits.length < candidates.length && edits.length === 1 ? "edit beats delete" : "modified last";
  return { endpoint: best.endpoint, value: best.value, reason };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
