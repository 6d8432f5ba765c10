/**
 * The agreed albums, read out of the CRDT: every live node, plus the folders above a live node
 * even if one side deleted them (a folder that received an album elsewhere comes back: edit
 * beats delete). A parent link that would make a cycle (two folders moved into each other on two
 * sides) is cut at the node with the smallest ref, which then sits at the top. Siblings and
 * members sort by position key, ties by ref or fingerprint, so every replica agrees.
 */
import { type AlbumDocs, albumDocName, TREE } from "./docs.js";
import { indexChildren, type LibraryView, type ViewNode } from "./view.js";

export interface Projection {
  view: LibraryView;
  /** Nodes shown although a side deleted them, because another side edited them or their contents. */
  restored: string[];
}

export function project(docs: AlbumDocs): Projection {
  const kind = new Map(docs.entries(TREE, "kind"));
  const parentOf = (ref: string): string | null => {
    const p = docs.get(TREE, "parent", ref);
    return p && kind.get(p) === "folder" ? p : null;
  };
  const parents = new Map<string, string | null>();
  for (const ref of kind.keys()) parents.set(ref, parentOf(ref));
  cutCycles(parents);

  const live = new Set<string>();
  const restored: string[] = [];
  for (const [ref] of docs.entries(TREE, "alive")) {
    if (!kind.has(ref)) continue;
    live.add(ref);
    for (let p = parents.get(ref) ?? null; p !== null && !live.has(p); p = parents.get(p) ?? null) {
      live.add(p);
      if (!docs.get(TREE, "alive", p)) restored.push(p);
    }
  }
  const view: LibraryView = { nodes: new Map(), children: new Map() };
  for (const ref of live) {
    const node: ViewNode = {
      kind: kind.get(ref) === "folder" ? "folder" : "album",
      title: docs.get(TREE, "title", ref) ?? "",
      parent: parents.get(ref) ?? null,
      members: [],
    };
    if (node.kind === "album") {
      node.members = sortByKey([...docs.entries(albumDocName(ref), "members")]);
      const key = docs.get(TREE, "key", ref);
      if (key && node.members.includes(key)) node.key = key;
    }
    view.nodes.set(ref, node);
  }
  indexChildren(view, sortByKey([...live].map((ref) => [ref, docs.get(TREE, "pos", ref) ?? ""])));
  return { view, restored };
}

function sortByKey(entries: [string, string][]): string[] {
  return entries
    .sort(([a, ka], [b, kb]) => (ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([item]) => item);
}

function cutCycles(parents: Map<string, string | null>): void {
  for (const start of parents.keys()) {
    const path: string[] = [];
    const seen = new Set<string>();
    let ref: string | null = start;
    while (ref !== null && !seen.has(ref)) {
      seen.add(ref);
      path.push(ref);
      ref = parents.get(ref) ?? null;
    }
    if (ref === null) continue;
    const cycle = path.slice(path.indexOf(ref));
    const smallest = [...cycle].sort()[0] as string;
    parents.set(smallest, null);
  }
}
