import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { expect, it } from "vitest";
import { SyncState } from "../../src/state/store.js";

type Cache = Map<string, { token: string; fingerprint: string }>;

const cache = fc
  .dictionary(
    fc.constantFrom("1", "2", "3", "4", "5", "6"),
    fc.record({ token: fc.constantFrom("t1", "t2"), fingerprint: fc.constantFrom("f1", "f2") }),
  )
  .map((d) => new Map(Object.entries(d)) as Cache);

it("updateAssets leaves exactly the new cache, whatever the state held before", () => {
  const state = SyncState.open(join(mkdtempSync(join(tmpdir(), "cradle-albums-state-")), "s.sqlite"));
  const albums = state.albums();
  fc.assert(
    fc.property(cache, cache, cache, (before, after, other) => {
      state.transaction(() => {
        albums.updateAssets(1, before, albums.assets(1));
        albums.updateAssets(2, other, albums.assets(2));
      });
      expect(albums.assets(1)).toEqual(before);
      state.transaction(() => albums.updateAssets(1, after, albums.assets(1)));
      expect(albums.assets(1)).toEqual(after);
      expect(albums.assets(2)).toEqual(other);
    }),
  );
  state.close();
});
