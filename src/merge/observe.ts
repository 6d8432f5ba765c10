import type { Endpoint, Listed, ReadError, SyncItem } from "../core/endpoint.js";
import type { Placement, SyncState } from "../state/store.js";
import { matchDigest } from "./hash.js";
import { RecordValue } from "./record-value.js";

/** A record as read from an endpoint, with its content held compactly. */
export type ObservedItem = Omit<SyncItem, "fields"> & { value: RecordValue };

/** What one endpoint shows of one known record at the start of a run. */
export type SideView =
  /** Unchanged content; `token` is set when the token moved but the content did not. */
  | { kind: "held"; nativeId: string; hash: string; token?: string; reflects?: string }
  | { kind: "changed"; nativeId: string; hash: string; token: string; item: ObservedItem; reflects?: string }
  | { kind: "gone"; nativeId: string }
  | { kind: "blocked"; nativeId: string; error: ReadError };

/** An item this endpoint holds that the state has never placed there. */
export interface NewItem {
  side: number;
  nativeId: string;
  token: string;
  hash: string;
  item: ObservedItem;
}

export interface Observation {
  /**
   * record id → endpoint index → what that endpoint shows, except for items listed with the
   * token they were placed with: those are most of a run and stay in the state (see viewOf).
   */
  views: Map<number, Map<number, SideView>>;
  /** The placement of a record on a side whose item was listed unchanged, read when asked for. */
  unchanged(record: number, side: number): SideView | undefined;
  newItems: NewItem[];
  /** Unreadable items the state does not know: reported, nothing else. */
  unreadable: ReadError[];
  /** Per endpoint: how many records it held at the last sync, and how many it lists now. */
  counts: { placed: number; listed: number }[];
}

/**
 * Items parsed per read() call. Small: a batch's parsed records live until it is compacted, and
 * a batch that outlives two young-generation collections is promoted and grows the old heap.
 */
const READ_BATCH = 100;

export type Progress = (p: { phase: string; loaded: number; total: number }) => void;

/**
 * Reads only what changed in each endpoint's listing: an item whose token matches its placement
 * is never read; one whose token changed but whose content hash did not is no edit (a touched
 * file is not a changed contact).
 */
export async function observe(
  endpoints: Endpoint[],
  endpointIds: number[],
  listings: Listed[][],
  state: SyncState,
  onProgress?: Progress,
): Promise<Observation> {
  const views = new Map<number, Map<number, SideView>>();
  const setView = (record: number, side: number, view: SideView) => {
    const perSide = views.get(record) ?? new Map<number, SideView>();
    views.set(record, perSide);
    perSide.set(side, view);
  };
  const newItems: NewItem[] = [];
  const unreadable: ReadError[] = [];
  const counts: Observation["counts"] = [];

  for (const [side, endpoint] of endpoints.entries()) {
    const endpointId = endpointIds[side] as number;
    // Each placed item still to be listed; what is left at the end is gone.
    const unlisted = state.placementTokens(endpointId);
    const listed = listings[side] as Listed[];
    counts.push({ placed: unlisted.size, listed: listed.length });
    const toRead: { id: string; token: string; placement: Placement | undefined }[] = [];
    const seen = new Set<string>();
    for (const { id, token } of listed) {
      if (seen.has(id)) throw new Error(`${endpoint.uri} listed ${id} twice`);
      seen.add(id);
      const placedToken = unlisted.get(id);
      if (placedToken === undefined) {
        toRead.push({ id, token, placement: undefined });
        continue;
      }
      unlisted.delete(id);
      if (placedToken !== token) toRead.push({ id, token, placement: state.placement(endpointId, id) });
    }
    for (const nativeId of unlisted.keys()) {
      const placement = state.placement(endpointId, nativeId);
      if (placement) setView(placement.record, side, { kind: "gone", nativeId });
    }
    for (let start = 0; start < toRead.length; start += READ_BATCH) {
      const batch = toRead.slice(start, start + READ_BATCH);
      const results = await endpoint.read(batch.map((b) => b.id));
      for (const { id, token, placement } of batch) {
        const result = results.get(id);
        if (!result) throw new Error(`${endpoint.uri} returned nothing for ${id}`);
        if (!result.ok) {
          if (placement)
            setView(placement.record, side, { kind: "blocked", nativeId: id, error: result.error });
          else unreadable.push(result.error);
          continue;
        }
        const item = compact(result.item);
        const hash = item.value.hash;
        if (!placement) newItems.push({ side, nativeId: id, token, hash, item });
        else if (hash === placement.hash)
          setView(placement.record, side, {
            kind: "held",
            nativeId: id,
            hash,
            token,
            reflects: placement.reflects,
          });
        else
          setView(placement.record, side, {
            kind: "changed",
            nativeId: id,
            hash,
            token,
            item,
            reflects: placement.reflects,
          });
      }
      onProgress?.({ phase: `read ${endpoint.uri}`, loaded: start + batch.length, total: toRead.length });
    }
  }
  const unchanged = (record: number, side: number): SideView | undefined => {
    const placement = state.placementOfRecord(endpointIds[side] as number, record);
    return (
      placement && {
        kind: "held",
        nativeId: placement.nativeId,
        hash: placement.hash,
        reflects: placement.reflects,
      }
    );
  };
  return { views, unchanged, newItems, unreadable, counts };
}

/** What a side shows of a record: a view the run made, or else its unchanged placement. */
export function viewOf(observation: Observation, record: number, side: number): SideView | undefined {
  return observation.views.get(record)?.get(side) ?? observation.unchanged(record, side);
}

/**
 * Keeps what the run needs of an item, and nothing that pins the file it came from: strings cut
 * out of a file's text keep the whole text alive, so uid and label are copied and match keys
 * reduced to digests.
 */
function compact(item: SyncItem): ObservedItem {
  return {
    uid: detach(item.uid),
    label: detach(item.label),
    matchKeys: item.matchKeys.map(matchDigest),
    modified: item.modified,
    value: RecordValue.of(item.fields),
  };
}

function detach(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, "utf8").toString("utf8");
}

/** Whether a side already holds a record's agreed value (all of it, or all a lossy side can hold). */
export function holdsValue(
  view: { hash: string; reflects?: string },
  recordHash: string | undefined,
): boolean {
  return view.hash === recordHash || (view.reflects !== undefined && view.reflects === recordHash);
}
