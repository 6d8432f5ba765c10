import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AlbumNode } from "../../../src/core/albums.js";
import { syncAlbums } from "../../../src/merge/albums/sync.js";
import { SyncState } from "../../../src/state/store.js";
import { MemoryAlbums } from "./memory-albums.js";

const PHOTOS = Array.from({ length: 8 }, (_, i) => `p${i}`);
type Edit = [kind: number, a: number, b: number, c: number];
const edits = fc.array(fc.tuple(fc.nat(6), fc.nat(50), fc.nat(50), fc.nat(50)), { maxLength: 5 });
const start = fc.array(fc.tuple(fc.boolean(), fc.nat(3), fc.subarray(PHOTOS)), {
  minLength: 1,
  maxLength: 5,
});

/** What a side did, to check afterwards that it was not lost. */
interface Intent {
  added: [string, string][];
  moved: [string, string][];
  renamed: Map<string, string>;
  /** Edits per album id, to keep only moves that were the album's one edit. */
  touched: Map<string, number>;
}

function build(store: MemoryAlbums, shape: [boolean, number, string[]][]): void {
  const folders: string[] = [];
  shape.forEach(([isFolder, parent, members], i) => {
    const p = folders.length > 0 && parent > 0 ? (folders[parent % folders.length] as string) : null;
    if (isFolder) folders.push(store.add({ kind: "folder", title: `F${i}`, parent: p }));
    else store.add({ kind: "album", title: `A${i}`, parent: p, members });
  });
}

function touch(intent: Intent, album: string): void {
  intent.touched.set(album, (intent.touched.get(album) ?? 0) + 1);
}

/** Applies a side's edits; added = photos in an album now that were not before (net of the side's own undo). */
function edit(store: MemoryAlbums, list: Edit[], tag: string): Intent {
  const before = new Map(store.nodes.map((n) => [n.id, new Set(n.members)]));
  const intent: Intent = { added: [], moved: [], renamed: new Map(), touched: new Map() };
  for (const e of list) applyEdit(store, e, intent, tag);
  for (const n of store.nodes)
    for (const m of n.members)
      if (before.has(n.id) && !before.get(n.id)?.has(m))
        intent.added.push([n.id, store.assets.get(m)?.name as string]);
  intent.moved = intent.moved.filter(([album]) => intent.touched.get(album) === 1);
  return intent;
}

/** A user's edit of one store; indices wrap around what exists. */
function applyEdit(store: MemoryAlbums, [kind, a, b, c]: Edit, intent: Intent, tag: string): void {
  const albums = store.nodes.filter((n) => n.kind === "album");
  const folders = store.nodes.filter((n) => n.kind === "folder");
  const album = albums[a % Math.max(1, albums.length)];
  const node = store.nodes[a % Math.max(1, store.nodes.length)];
  switch (kind) {
    case 0: {
      if (!album) return;
      const photo = PHOTOS[b % PHOTOS.length] as string;
      const id = store.asset(photo);
      if (album.members.includes(id)) return;
      album.members.splice(c % (album.members.length + 1), 0, id);
      touch(intent, album.id);
      return;
    }
    case 1: {
      if (!album || album.members.length === 0) return;
      const [gone] = album.members.splice(b % album.members.length, 1) as [string];
      void gone;
      touch(intent, album.id);
      return;
    }
    case 2: {
      if (!album || album.members.length < 3) return;
      const from = b % album.members.length;
      const [moved] = album.members.splice(from, 1) as [string];
      const to = c % (album.members.length + 1);
      album.members.splice(to, 0, moved);
      touch(intent, album.id);
      if (from !== to) intent.moved.push([album.id, store.assets.get(moved)?.name as string]);
      return;
    }
    case 3:
      if (node) {
        node.title = `${node.title}-${tag}${b}`;
        intent.renamed.set(node.id, node.title);
      }
      return;
    case 4: {
      if (!node) return;
      const target = folders[b % Math.max(1, folders.length)];
      const under = (n: AlbumNode | undefined): boolean =>
        n !== undefined && (n.id === node.id || under(store.nodes.find((x) => x.id === n.parent)));
      node.parent = target && c % 3 !== 0 && !under(target) ? target.id : null;
      return;
    }
    case 5: {
      if (!node) return;
      const gone = new Set([node.id]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const n of store.nodes)
          if (n.parent !== null && gone.has(n.parent) && !gone.has(n.id)) grew = gone.add(n.id) !== undefined;
      }
      store.nodes = store.nodes.filter((n) => !gone.has(n.id));
      for (const id of gone) touch(intent, id);
      return;
    }
    default:
      store.add({
        kind: "album",
        title: `new-${tag}${b}`,
        parent: null,
        members: [PHOTOS[c % PHOTOS.length] as string],
      });
  }
}

async function run(stores: MemoryAlbums[], state: SyncState) {
  return syncAlbums({ endpoints: stores, state, fingerprint: MemoryAlbums.fingerprint, allowEmpty: true });
}

/** Sides that share a first sync, then each make their edits; returns the stores and intents. */
async function scenario(shape: [boolean, number, string[]][], perSide: Edit[][], order: number[]) {
  const stores = perSide.map((_, i) => new MemoryAlbums(`mem:side${i}`, i !== 1));
  build(stores[0] as MemoryAlbums, shape);
  const state = SyncState.open(":memory:");
  await run(stores, state);
  const intents = perSide.map((list, i) =>
    edit(stores[i] as MemoryAlbums, list, String.fromCharCode(97 + i)),
  );
  const report = await run(
    order.map((i) => stores[i] as MemoryAlbums),
    state,
  );
  return { stores, intents, state, report };
}

describe("the album CRDT (properties over random concurrent edits)", () => {
  it("converges, loses no add, move or one-sided rename, and a second sync writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(start, fc.array(edits, { minLength: 2, maxLength: 3 }), async (shape, perSide) => {
        const { stores, intents, state } = await scenario(
          shape,
          perSide,
          perSide.map((_, i) => i),
        );
        const first = (stores[0] as MemoryAlbums).describe();
        for (const s of stores) expect(s.describe()).toEqual(first);
        intents.forEach((intent, i) => {
          const store = stores[i] as MemoryAlbums;
          const names = (id: string) =>
            store.nodes.find((n) => n.id === id)?.members.map((m) => store.assets.get(m)?.name) ?? [];
          // Edit beats delete: an album another side deleted comes back with what this side put in or moved.
          for (const [album, photo] of [...intent.added, ...intent.moved])
            expect(names(album)).toContain(photo);
          for (const [id, title] of intent.renamed) {
            // Node ids are per store, so any rename elsewhere may have been of the same node.
            const renamedElsewhere = intents.some((o, j) => j !== i && o.renamed.size > 0);
            const node = store.nodes.find((n) => n.id === id);
            if (node && !renamedElsewhere) expect(node.title).toBe(title);
          }
        });
        const again = await run(stores, state);
        expect(again.endpoints.map((e) => e.created + e.updated + e.deleted)).toEqual(stores.map(() => 0));
        for (const s of stores) expect(s.describe()).toEqual(first);
      }),
      { numRuns: 40 },
    );
  });

  it("gives the same albums whatever order the sides are listed in (commutative)", async () => {
    await fc.assert(
      fc.asyncProperty(start, fc.array(edits, { minLength: 3, maxLength: 3 }), async (shape, perSide) => {
        const together = await scenario(shape, perSide, [0, 1, 2]);
        const reversed = await scenario(shape, perSide, [2, 1, 0]);
        expect((reversed.stores[0] as MemoryAlbums).describe()).toEqual(
          (together.stores[0] as MemoryAlbums).describe(),
        );
      }),
      { numRuns: 25 },
    );
  });
});
