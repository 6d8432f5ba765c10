/**
 * A side's albums in the sync's terms: nodes by ref (the sync's id of a folder or album),
 * members by fingerprint. Two views are compared through their canonical JSON; a side that has
 * no order among folders and albums keeps its sibling lists sorted, so order never differs there.
 */
import { createHash } from "node:crypto";

export interface ViewNode {
  kind: "folder" | "album";
  title: string;
  parent: string | null;
  /** Fingerprints in album order, each once. */
  members: string[];
  key?: string;
}

export interface LibraryView {
  nodes: Map<string, ViewNode>;
  /** Parent ref ("" for the top) → child refs in order. */
  children: Map<string, string[]>;
}

export function emptyView(): LibraryView {
  return { nodes: new Map(), children: new Map() };
}

/** Fills `children` from the nodes' parents, in the given order of refs. */
export function indexChildren(view: LibraryView, order: Iterable<string>): void {
  view.children.clear();
  for (const ref of order) {
    const node = view.nodes.get(ref);
    if (!node) continue;
    const parent = node.parent ?? "";
    const list = view.children.get(parent) ?? [];
    list.push(ref);
    view.children.set(parent, list);
  }
}

/** Canonical JSON; without node order, sibling lists are sorted. */
export function viewJson(view: LibraryView, ordersNodes: boolean): string {
  const nodes = [...view.nodes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const children = [...view.children.entries()]
    .filter(([, refs]) => refs.length > 0)
    .map(([parent, refs]) => [parent, ordersNodes ? refs : [...refs].sort()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify({ nodes, children });
}

export function parseView(json: string): LibraryView {
  const parsed = JSON.parse(json) as { nodes: [string, ViewNode][]; children: [string, string[]][] };
  return { nodes: new Map(parsed.nodes), children: new Map(parsed.children) };
}

export function hashText(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
