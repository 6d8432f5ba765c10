/**
 * What one side must change to hold the agreed albums, built before anything is written: the
 * folders and albums to create or rewrite (parents first), those to delete (children first),
 * and, on a side that orders them, the sibling lists to reorder. Members name the side's own
 * asset where it has one, else a readable copy on another side, for the import step.
 */
import type { AlbumWrite, TargetMember, TargetNode } from "../../core/albums.js";
import type { SideRead } from "./sides.js";
import type { LibraryView, ViewNode } from "./view.js";

export interface SidePlan {
  write: AlbumWrite;
  created: number;
  updated: number;
  deleted: number;
}

export function planSide(target: LibraryView, side: SideRead, all: SideRead[]): SidePlan {
  const idOf = new Map([...side.refOf].map(([id, ref]) => [ref, id]));
  const nodes = new Map(side.library.nodes.map((n) => [n.id, n]));
  const write: AlbumWrite = { put: [], delete: [], ids: idOf, order: new Map() };
  const plan: SidePlan = { write, created: 0, updated: 0, deleted: 0 };
  for (const ref of walk(target)) {
    const want = target.nodes.get(ref) as ViewNode;
    const have = side.view.nodes.get(ref);
    if (have && same(have, want)) continue;
    const id = idOf.get(ref);
    // The album's own copy of a photo comes first: another album may hold the same photo.
    const own = new Map<string, string>();
    for (const asset of (id === undefined ? undefined : nodes.get(id))?.members ?? []) {
      const fingerprint = side.assets.get(asset)?.fingerprint;
      if (fingerprint !== undefined && !own.has(fingerprint)) own.set(fingerprint, asset);
    }
    write.put.push(targetNode(ref, id, want, side, all, own));
    if (have) plan.updated++;
    else plan.created++;
  }
  for (const ref of [...walk(side.view)].reverse())
    if (!target.nodes.has(ref)) {
      write.delete.push(idOf.get(ref) as string);
      plan.deleted++;
    }
  if (side.endpoint.ordersNodes)
    for (const [parent, refs] of target.children) {
      const have = (side.view.children.get(parent) ?? []).filter((r) => target.nodes.has(r));
      if (have.length !== refs.length || have.some((r, i) => r !== refs[i])) write.order.set(parent, refs);
    }
  return plan;
}

export function isEmptyPlan(plan: SidePlan): boolean {
  return plan.write.put.length + plan.write.delete.length + plan.write.order.size === 0;
}

/** Refs parents first, siblings in order. */
function walk(view: LibraryView): string[] {
  const out: string[] = [];
  const visit = (parent: string) => {
    for (const ref of view.children.get(parent) ?? []) {
      out.push(ref);
      visit(ref);
    }
  };
  visit("");
  return out;
}

function same(a: ViewNode, b: ViewNode): boolean {
  return (
    a.kind === b.kind &&
    a.title === b.title &&
    a.parent === b.parent &&
    a.key === b.key &&
    a.members.length === b.members.length &&
    a.members.every((m, i) => m === b.members[i])
  );
}

function targetNode(
  ref: string,
  id: string | undefined,
  want: ViewNode,
  side: SideRead,
  all: SideRead[],
  own: Map<string, string>,
): TargetNode {
  const node: TargetNode = {
    ref,
    kind: want.kind,
    title: want.title,
    parentRef: want.parent,
    members: want.members.map((fingerprint) => targetMember(fingerprint, side, all, own)),
  };
  if (id !== undefined) node.id = id;
  if (want.key !== undefined) node.keyFingerprint = want.key;
  return node;
}

function targetMember(
  fingerprint: string,
  side: SideRead,
  all: SideRead[],
  own: Map<string, string>,
): TargetMember {
  const member: TargetMember = { fingerprint, name: nameOf(fingerprint, all) };
  const assetId = own.get(fingerprint) ?? side.assetOf.get(fingerprint);
  if (assetId !== undefined) member.assetId = assetId;
  const source = all.find((s) => s !== side && s.readable.has(fingerprint))?.readable.get(fingerprint);
  if (source !== undefined) member.source = source;
  return member;
}

/** The photo's file name on whichever side has it (for a copy's name and for messages). */
function nameOf(fingerprint: string, all: SideRead[]): string {
  for (const side of all) {
    const name = side.names.get(fingerprint);
    if (name !== undefined) return name;
  }
  return fingerprint.slice(0, 24);
}
