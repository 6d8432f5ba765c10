/**
 * An album store in memory, for fast merge properties. Photos are named after their
 * fingerprint; a member this store lacks is "imported" by adding an asset of that name.
 */
import type {
  AlbumNode,
  AlbumsEndpoint,
  AlbumWrite,
  AlbumWriteResult,
  PhotoAsset,
  PhotoLibrary,
} from "../../../src/core/albums.js";

export class MemoryAlbums implements AlbumsEndpoint {
  readonly domain = "photos";
  readonly readOnly = false;
  nodes: AlbumNode[] = [];
  assets = new Map<string, PhotoAsset>();
  private next = 1;

  constructor(
    readonly uri: string,
    readonly ordersNodes = true,
  ) {}

  async guard() {
    return { enabled: true };
  }

  async read(): Promise<PhotoLibrary> {
    return structuredClone({ assets: [...this.assets.values()], nodes: this.ordered() });
  }

  /** The fingerprinter for these stores: the asset's name is its fingerprint. */
  static fingerprint = async (asset: PhotoAsset) => ({ fingerprint: asset.name });

  asset(name: string): string {
    for (const a of this.assets.values()) if (a.name === name) return a.id;
    const id = `a${this.next++}`;
    this.assets.set(id, { id, token: "1", name, path: `/memory/${name}` });
    return id;
  }

  add(node: Omit<AlbumNode, "id" | "members"> & { members?: string[] }): string {
    const id = `n${this.next++}`;
    this.nodes.push({ ...node, id, members: (node.members ?? []).map((m) => this.asset(m)) });
    return id;
  }

  async write(change: AlbumWrite): Promise<AlbumWriteResult> {
    const result: AlbumWriteResult = { created: new Map(), failed: [] };
    const ids = new Map(change.ids);
    const drop = new Set(change.delete);
    this.nodes = this.nodes.filter((n) => !drop.has(n.id));
    for (const t of change.put) {
      const parent = t.parentRef === null ? null : (ids.get(t.parentRef) as string);
      const members = t.members.map((m) => m.assetId ?? this.asset(m.fingerprint));
      const fields = { kind: t.kind, title: t.title, parent, members };
      const existing = this.nodes.find((n) => n.id === t.id);
      if (existing) Object.assign(existing, fields);
      else {
        const id = `n${this.next++}`;
        this.nodes.push({ id, ...fields });
        ids.set(t.ref, id);
        result.created.set(t.ref, id);
      }
      const node = this.nodes.find((n) => n.id === ids.get(t.ref)) as AlbumNode;
      const key = t.members.find((m) => m.fingerprint === t.keyFingerprint);
      if (key) node.keyAsset = key.assetId ?? this.asset(key.fingerprint);
      else delete node.keyAsset;
    }
    // Siblings take the given order in the slots they already use, so other nodes never move.
    for (const refs of change.order.values()) {
      const wanted = refs
        .map((r) => this.nodes.find((n) => n.id === ids.get(r)))
        .filter((n) => n !== undefined);
      const slots = wanted.map((n) => this.nodes.indexOf(n)).sort((x, y) => x - y);
      slots.forEach((slot, i) => {
        this.nodes[slot] = wanted[i] as AlbumNode;
      });
    }
    return result;
  }

  /** Parents before children (a stable sort keeps sibling order). */
  private ordered(): AlbumNode[] {
    const out: AlbumNode[] = [];
    const visit = (parent: string | null) => {
      for (const n of this.nodes)
        if (n.parent === parent) {
          out.push(n);
          visit(n.id);
        }
    };
    visit(null);
    return out;
  }

  /** The store as "folder/title: members" lines, for comparing stores whatever their ids. */
  describe(): string[] {
    const byId = new Map(this.nodes.map((n) => [n.id, n]));
    const path = (n: AlbumNode): string => {
      const parent = n.parent === null ? undefined : byId.get(n.parent);
      return parent ? `${path(parent)}/${n.title}` : n.title;
    };
    return this.ordered()
      .map(
        (n) =>
          `${n.kind} ${path(n)}: ${n.members.map((m) => this.assets.get(m)?.name).join(",")}${n.keyAsset ? ` key ${this.assets.get(n.keyAsset)?.name}` : ""}`,
      )
      .sort();
  }
}
