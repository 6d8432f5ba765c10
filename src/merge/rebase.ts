import type { Fields } from "../core/fields.js";

/**
 * A lossy side's edit, replayed on the full agreed value: every field the side changed since
 * it last held `sideBase` takes the side's value; every other field keeps `base`'s, including
 * the ones the side could never hold. Without this, an AddressBook edit of a phone number would
 * read as the deletion of every vCard property the AddressBook has no column for.
 */
export function rebase(base: Fields, sideBase: Fields, current: Fields): Fields {
  const out: Fields = structuredClone(base);
  replay(out.scalars, sideBase.scalars, current.scalars);
  replay(out.texts, sideBase.texts, current.texts);
  for (const name of new Set([...Object.keys(sideBase.sets), ...Object.keys(current.sets)])) {
    const set = out.sets[name] ?? {};
    replay(set, sideBase.sets[name] ?? {}, current.sets[name] ?? {});
    if (Object.keys(set).length > 0) out.sets[name] = set;
    else delete out.sets[name];
  }
  return out;
}

function replay(
  target: Record<string, string>,
  before: Record<string, string>,
  after: Record<string, string>,
): void {
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[key] === after[key]) continue;
    const value = after[key];
    if (value === undefined) delete target[key];
    else target[key] = value;
  }
}
