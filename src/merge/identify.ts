import type { SyncState } from "../state/store.js";
import type { NewItem, SideView } from "./observe.js";

/** Items seen for the first time that belong to no known record: they become one new record. */
export interface NewGroup {
  items: NewItem[];
}

export interface DuplicateReport {
  side: number;
  nativeId: string;
  uid: string;
  /** The native id of the item on the same side that already has this UID. */
  other: string;
}

export interface Identity {
  /** New items that turned out to be a known record (first sync of a new endpoint, a lost state). */
  matched: Map<number, NewItem[]>;
  groups: NewGroup[];
  duplicates: DuplicateReport[];
}

/**
 * Decides which record each new item is: first by UID, then by normalized name plus a phone or
 * email. Never two items of one side in one record: a second item with the same UID on a side
 * is reported as a duplicate, not merged, and a key match never pairs items of the same side.
 */
export function identify(
  newItems: NewItem[],
  viewOf: (record: number, side: number) => SideView | undefined,
  state: SyncState,
): Identity {
  const matched = new Map<number, NewItem[]>();
  const groups: NewGroup[] = [];
  const groupByUid = new Map<string, NewGroup>();
  const groupsByKey = new Map<string, NewGroup[]>();
  const duplicates: DuplicateReport[] = [];
  // A first sync has no records to look up: skip tens of thousands of empty queries.
  const knownRecords = state.hasRecords();

  /** The item holding a record on a side; an item gone from its old id holds nothing (it may have moved). */
  const holderOn = (record: number, side: number): string | undefined => {
    const view = viewOf(record, side);
    if (view && view.kind !== "gone") return view.nativeId;
    return matched.get(record)?.find((i) => i.side === side)?.nativeId;
  };
  const attach = (record: number, item: NewItem) => {
    const list = matched.get(record) ?? [];
    list.push(item);
    matched.set(record, list);
  };
  const register = (group: NewGroup, item: NewItem) => {
    group.items.push(item);
    if (item.item.uid && !groupByUid.has(item.item.uid)) groupByUid.set(item.item.uid, group);
    for (const key of item.item.matchKeys) {
      const list = groupsByKey.get(key) ?? [];
      if (!list.includes(group)) list.push(group);
      groupsByKey.set(key, list);
    }
  };

  const ordered = [...newItems].sort((a, b) => a.side - b.side || (a.nativeId < b.nativeId ? -1 : 1));
  for (const item of ordered) {
    const uid = item.item.uid;
    if (uid) {
      const records = knownRecords ? state.recordsWithUid(uid) : [];
      const known = records[0];
      if (known !== undefined) {
        const other = holderOn(known, item.side);
        if (other !== undefined) duplicates.push({ side: item.side, nativeId: item.nativeId, uid, other });
        else attach(known, item);
        continue;
      }
      const group = groupByUid.get(uid);
      if (group) {
        const other = group.items.find((i) => i.side === item.side);
        if (other) duplicates.push({ side: item.side, nativeId: item.nativeId, uid, other: other.nativeId });
        else register(group, item);
        continue;
      }
    }
    const byKey = matchByKey(item, knownRecords ? state : undefined, holderOn, groupsByKey);
    if (typeof byKey === "number") attach(byKey, item);
    else if (byKey) register(byKey, item);
    else {
      const group: NewGroup = { items: [] };
      groups.push(group);
      register(group, item);
    }
  }
  return { matched, groups, duplicates };
}

function matchByKey(
  item: NewItem,
  state: SyncState | undefined,
  holderOn: (record: number, side: number) => string | undefined,
  groupsByKey: Map<string, NewGroup[]>,
): number | NewGroup | undefined {
  for (const key of item.item.matchKeys) {
    const record = state?.recordsWithKey(key).find((r) => holderOn(r, item.side) === undefined);
    if (record !== undefined) return record;
    const group = groupsByKey.get(key)?.find((g) => !g.items.some((i) => i.side === item.side));
    if (group) return group;
  }
  return undefined;
}
