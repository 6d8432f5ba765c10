/**
 * One side's edits since the last sync, as register writes: its view now against the view it
 * had then (its base). Positions are keyed against the agreed document, so a member the side
 * did not move keeps its key and a reorder rewrites only the members that moved.
 */
import { type AlbumDocs, albumDocName, type Op, TREE } from "./docs.js";
import { keyBetween } from "./fractional.js";
import { rekey } from "./reorder.js";
import type { LibraryView, ViewNode } from "./view.js";

export function diffSide(base: LibraryView, view: LibraryView, ordersNodes: boolean, docs: AlbumDocs): Op[] {
  const ops: Op[] = [];
  const tree = (map: string, key: string, value?: string) => ops.push({ doc: TREE, map, key, value });
  for (const [ref, node] of view.nodes) {
    const before = base.nodes.get(ref);
    const start = ops.length;
    if (!before) tree("kind", ref, node.kind);
    if (before?.title !== node.title) tree("title", ref, node.title);
    if (before === undefined || before.parent !== node.parent) {
      tree("parent", ref, node.parent ?? "");
      if (!ordersNodes) tree("pos", ref, endOf(node.parent, docs));
    }
    if (before?.key !== node.key) tree("key", ref, node.key);
    if (node.kind === "album") memberOps(ref, before, node, docs, ops);
    if (ops.length > start || !docs.get(TREE, "alive", ref)) tree("alive", ref, "1");
  }
  for (const ref of base.nodes.keys()) if (!view.nodes.has(ref)) tree("alive", ref, undefined);
  if (ordersNodes)
    for (const refs of view.children.values())
      for (const [ref, key] of rekey(refs, (r) => docs.get(TREE, "pos", r))) tree("pos", ref, key);
  return ops;
}

function memberOps(
  ref: string,
  before: ViewNode | undefined,
  node: ViewNode,
  docs: AlbumDocs,
  ops: Op[],
): void {
  const doc = albumDocName(ref);
  const now = new Set(node.members);
  for (const fingerprint of before?.members ?? [])
    if (!now.has(fingerprint)) ops.push({ doc, map: "members", key: fingerprint });
  const same = before !== undefined && sameList(before.members, node.members);
  if (same) return;
  for (const [fingerprint, key] of rekey(node.members, (f) => docs.get(doc, "members", f)))
    ops.push({ doc, map: "members", key: fingerprint, value: key });
}

/** A position after every sibling under parent, for a node placed by a side without node order. */
function endOf(parent: string | null, docs: AlbumDocs): string {
  let last: string | undefined;
  for (const [ref, p] of docs.entries(TREE, "parent")) {
    if ((p || null) !== parent) continue;
    const key = docs.get(TREE, "pos", ref);
    if (key !== undefined && (last === undefined || key > last)) last = key;
  }
  return keyBetween(last, undefined);
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
