/**
 * Reads one side and puts it in the sync's terms. Assets become fingerprints, from the state's
 * cache while their token is unchanged, else by hashing (through the caller's fingerprinter). A
 * file that cannot be read keeps the fingerprint it had, so its album memberships are kept.
 * Folders and albums become refs: the one the state maps their native id to, else the agreed
 * node (or one another side brought this run) with the same kind, parent and title, else a new one.
 */
import { randomUUID } from "node:crypto";
import type { AlbumsEndpoint, PhotoAsset, PhotoLibrary } from "../../core/albums.js";
import { indexChildren, type LibraryView } from "./view.js";

export type Fingerprinter = (asset: PhotoAsset) => Promise<{ fingerprint: string; unreadable?: string }>;

export interface SideRead {
  endpoint: AlbumsEndpoint;
  library: PhotoLibrary;
  /** Native asset id → fingerprint and the token it stands for. */
  assets: Map<string, { token: string; fingerprint: string }>;
  /** Fingerprint → a native asset id holding it. */
  assetOf: Map<string, string>;
  /** Fingerprint → the photo's file name here. */
  names: Map<string, string>;
  /** Fingerprint → a file on this side that was read to make it (an import source). */
  readable: Map<string, string>;
  unreadable: { where: string; reason: string }[];
  /** How many assets were hashed this time (their cache entries need saving). */
  hashed: number;
  /** Native node id → ref, once refs are assigned. */
  refOf: Map<string, string>;
  view: LibraryView;
}

const HASH_BATCH = 16;
/** Tokens stores give files they could not stat: such a file is hashed (and reported) every run. */
const UNREADABLE_TOKENS = new Set(["missing", "none"]);

export async function readSide(
  endpoint: AlbumsEndpoint,
  cache: Map<string, { token: string; fingerprint: string }>,
  fingerprint: Fingerprinter,
): Promise<SideRead> {
  const library = await endpoint.read();
  const fresh: PhotoAsset[] = [];
  for (const asset of library.assets) {
    const cached = cache.get(asset.id);
    if (!(cached && cached.token === asset.token && asset.path && !UNREADABLE_TOKENS.has(asset.token)))
      fresh.push(asset);
  }
  const side: SideRead = {
    endpoint,
    library,
    assets: new Map(),
    assetOf: new Map(),
    names: new Map(),
    readable: new Map(),
    unreadable: [],
    hashed: fresh.length,
    refOf: new Map(),
    view: { nodes: new Map(), children: new Map() },
  };
  const stale = new Set(fresh);
  for (const asset of library.assets) {
    const cached = cache.get(asset.id);
    if (cached && !stale.has(asset)) note(side, asset, cached.fingerprint, true);
  }
  for (let i = 0; i < fresh.length; i += HASH_BATCH) {
    const batch = fresh.slice(i, i + HASH_BATCH);
    const results = await Promise.all(batch.map(fingerprint));
    batch.forEach((asset, n) => {
      const result = results[n] as { fingerprint: string; unreadable?: string };
      const cached = cache.get(asset.id);
      if (result.unreadable !== undefined) {
        side.unreadable.push({
          where: `${endpoint.uri} ${asset.path ?? asset.name}`,
          reason: `${result.unreadable}; its album memberships are kept`,
        });
        note(side, asset, cached?.fingerprint ?? result.fingerprint, false);
      } else note(side, asset, result.fingerprint, true);
    });
  }
  return side;
}

function note(side: SideRead, asset: PhotoAsset, fingerprint: string, readable: boolean): void {
  side.assets.set(asset.id, { token: asset.token, fingerprint });
  if (!side.assetOf.has(fingerprint)) {
    side.assetOf.set(fingerprint, asset.id);
    side.names.set(fingerprint, asset.name);
  }
  if (readable && asset.path && !side.readable.has(fingerprint)) side.readable.set(fingerprint, asset.path);
}

/** Refs for every side's folders and albums; `agreed` are the nodes of the agreed tree. */
export function assignRefs(
  sides: SideRead[],
  known: Map<string, string>[],
  agreed: () => Iterable<[string, { kind: string; parent: string | null; title: string }]>,
  /** True for an id that is itself a ref (a store that keeps the sync's ids, like albums:). */
  isRef: (id: string) => boolean,
): void {
  let pool: Map<string, string[]> | undefined;
  const poolOf = () => {
    if (!pool) {
      pool = new Map();
      for (const [ref, n] of agreed()) addTo(pool, matchKey(n.kind, n.parent, n.title), ref);
    }
    return pool;
  };
  sides.forEach((side, i) => {
    const mapped = known[i] ?? new Map<string, string>();
    const claimed = new Set<string>();
    for (const node of side.library.nodes) {
      const parent = node.parent === null ? null : (side.refOf.get(node.parent) ?? null);
      let ref = mapped.get(node.id) ?? (isRef(node.id) ? node.id : undefined);
      if (ref === undefined || claimed.has(ref)) {
        const key = matchKey(node.kind, parent, node.title);
        const candidates = poolOf().get(key) ?? [];
        ref = candidates.find((r) => !claimed.has(r));
        if (ref === undefined) {
          ref = randomUUID();
          addTo(poolOf(), key, ref);
        }
      }
      claimed.add(ref);
      side.refOf.set(node.id, ref);
    }
  });
}

/** The side's view: refs and fingerprints, members each once, siblings in the side's order. */
export function buildView(side: SideRead): LibraryView {
  const view: LibraryView = { nodes: new Map(), children: new Map() };
  const order: string[] = [];
  for (const node of side.library.nodes) {
    const ref = side.refOf.get(node.id) as string;
    const members = [
      ...new Set(node.members.map((id) => side.assets.get(id)?.fingerprint).filter((f) => f !== undefined)),
    ];
    const key = node.keyAsset === undefined ? undefined : side.assets.get(node.keyAsset)?.fingerprint;
    view.nodes.set(ref, {
      kind: node.kind,
      title: node.title,
      parent: node.parent === null ? null : (side.refOf.get(node.parent) ?? null),
      members,
      ...(key === undefined ? {} : { key }),
    });
    order.push(ref);
  }
  indexChildren(view, order);
  side.view = view;
  return view;
}

function matchKey(kind: string, parent: string | null, title: string): string {
  return `${kind}\u0000${parent ?? ""}\u0000${title}`;
}

function addTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}
