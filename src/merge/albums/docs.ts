/**
 * The album CRDT, the only module that imports Yjs. Each folder or album is a set of
 * last-writer-wins registers in Y.Maps (one document for the tree, one per album for its
 * members), never a list: a move rewrites one position key, so it cannot duplicate.
 *
 * - tree: kind, title, parent, pos (among siblings), key (key photo) per ref, and `alive`;
 * - album:<ref>: members, fingerprint → position key. Removing a member deletes its entry.
 *
 * Deleting a folder or album deletes only `alive`; every edit of a node sets `alive` again. A
 * Y.Map delete removes only the value it saw, so an edit made concurrently survives a delete
 * (edit beats delete) and brings the whole node back. Concurrent sets of one register keep the
 * one from the higher client id; each side's client id is its rank, so the outcome depends on
 * who the sides are, never on the order their edits are applied in.
 */
import * as Y from "yjs";

export const TREE = "tree";
export const TREE_MAPS = ["kind", "alive", "title", "parent", "pos", "key"] as const;
export type TreeMap = (typeof TREE_MAPS)[number];

export function albumDocName(ref: string): string {
  return `album:${ref}`;
}

/** One register write: a value, or undefined to delete it. */
export interface Op {
  doc: string;
  map: string;
  key: string;
  value?: string;
}

export class AlbumDocs {
  private readonly docs = new Map<string, Y.Doc>();

  constructor(private readonly load: (name: string) => Uint8Array | undefined) {}

  private doc(name: string): Y.Doc {
    let doc = this.docs.get(name);
    if (!doc) {
      doc = new Y.Doc();
      const saved = this.load(name);
      if (saved) Y.applyUpdate(doc, saved);
      this.docs.set(name, doc);
    }
    return doc;
  }

  get(name: string, map: string, key: string): string | undefined {
    return this.doc(name).getMap<string>(map).get(key);
  }

  entries(name: string, map: string): IterableIterator<[string, string]> {
    return this.doc(name).getMap<string>(map).entries();
  }

  /**
   * Applies each side's ops as concurrent edits of the same state: a document that one side
   * edits takes its ops directly; a document several sides edit is forked once per side, and
   * the forks' updates are merged, which Yjs makes commutative, associative and idempotent.
   * Returns the names of the documents that changed.
   */
  apply(sides: { client: number; ops: Op[] }[]): Set<string> {
    const byDoc = new Map<string, { client: number; ops: Op[] }[]>();
    for (const { client, ops } of sides)
      for (const op of ops) {
        const list = byDoc.get(op.doc) ?? [];
        let entry = list.find((e) => e.client === client);
        if (!entry) {
          entry = { client, ops: [] };
          list.push(entry);
        }
        entry.ops.push(op);
        byDoc.set(op.doc, list);
      }
    for (const [name, editors] of byDoc) {
      const doc = this.doc(name);
      if (editors.length === 1) {
        const [only] = editors as [{ client: number; ops: Op[] }];
        edit(doc, only.client, only.ops);
        continue;
      }
      const state = Y.encodeStateAsUpdate(doc);
      const vector = Y.encodeStateVector(doc);
      const updates = editors.map(({ client, ops }) => {
        const fork = new Y.Doc();
        Y.applyUpdate(fork, state);
        edit(fork, client, ops);
        return Y.encodeStateAsUpdate(fork, vector);
      });
      for (const update of updates) Y.applyUpdate(doc, update);
    }
    return new Set(byDoc.keys());
  }

  encode(name: string): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc(name));
  }
}

function edit(doc: Y.Doc, client: number, ops: Op[]): void {
  doc.clientID = client;
  doc.transact(() => {
    for (const op of ops) {
      const map = doc.getMap<string>(op.map);
      if (op.value === undefined) map.delete(op.key);
      else map.set(op.key, op.value);
    }
  });
}
