import type { Fields } from "../core/fields.js";

/**
 * Field groups: a key "G|name" in scalars or texts, or a set named "G|name", belongs to group G
 * (for a calendar, G is an occurrence's RECURRENCE-ID and the group is that override). A group is
 * deleted or kept as a whole: when one side removed every field of a group and another side
 * edited it, the edit wins for the whole group, so the override comes back complete rather than
 * as the few fields the other side happened to touch.
 */
export function groupOf(key: string): string | undefined {
  const bar = key.indexOf("|");
  return bar > 0 ? key.slice(0, bar) : undefined;
}

export interface RevivedGroup {
  group: string;
  /** Index of the side whose deletion was overruled. */
  deleter: number;
  /** Index of a side that edited the group. */
  editor: number;
}

/** Returns the sides with overruled group deletions undone (base's fields put back). */
export function reviveDeletedGroups(
  base: Fields | undefined,
  sides: Fields[],
): { sides: Fields[]; revived: RevivedGroup[] } {
  if (!base) return { sides, revived: [] };
  const baseGroups = groupsIn(base);
  if (baseGroups.size === 0) return { sides, revived: [] };
  const revived: RevivedGroup[] = [];
  const out = sides.map((side) => side);
  for (const group of baseGroups) {
    const deleters = sides.flatMap((side, i) => (groupsIn(side).has(group) ? [] : [i]));
    if (deleters.length === 0) continue;
    const editor = sides.findIndex((side) => groupsIn(side).has(group) && editedGroup(base, side, group));
    if (editor < 0) continue;
    for (const deleter of deleters) {
      out[deleter] = withGroupFrom(out[deleter] as Fields, base, group);
      revived.push({ group, deleter, editor });
    }
  }
  return { sides: out, revived };
}

function groupsIn(fields: Fields): Set<string> {
  const groups = new Set<string>();
  for (const key of [
    ...Object.keys(fields.scalars),
    ...Object.keys(fields.texts),
    ...Object.keys(fields.sets),
  ]) {
    const group = groupOf(key);
    if (group !== undefined) groups.add(group);
  }
  return groups;
}

function editedGroup(base: Fields, side: Fields, group: string): boolean {
  const differs = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    [...new Set([...Object.keys(a), ...Object.keys(b)])].some(
      (k) => groupOf(k) === group && JSON.stringify(a[k]) !== JSON.stringify(b[k]),
    );
  return (
    differs(base.scalars, side.scalars) || differs(base.texts, side.texts) || differs(base.sets, side.sets)
  );
}

function withGroupFrom(target: Fields, source: Fields, group: string): Fields {
  const copy = (from: Record<string, unknown>, to: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(from)) if (groupOf(k) === group) to[k] = v;
  };
  const out: Fields = {
    scalars: { ...target.scalars },
    texts: { ...target.texts },
    sets: { ...target.sets },
  };
  copy(source.scalars, out.scalars);
  copy(source.texts, out.texts);
  copy(source.sets, out.sets);
  return out;
}
