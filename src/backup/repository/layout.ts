/**
 * Where things live in a repository, as restic lays them out:
 *   config              version, chunker, encryption parameters (plain JSON: needed to derive the key)
 *   data/xx/<id>        packs, named by the SHA-256 of their stored bytes
 *   index/<id>          which blob is in which pack, at which offset
 *   snapshots/<id>      one per backup
 *   locks/writer.lock   the writer lock
 * Every file but config and the lock is written once under its content hash and never changed.
 */
import { join } from "node:path";

export const repoPaths = (root: string) => ({
  config: join(root, "config"),
  data: join(root, "data"),
  index: join(root, "index"),
  snapshots: join(root, "snapshots"),
  locks: join(root, "locks"),
  pack: (id: string) => join(root, "data", id.slice(0, 2), id),
  indexFile: (id: string) => join(root, "index", id),
  snapshotFile: (id: string) => join(root, "snapshots", id),
});

export type RepoPaths = ReturnType<typeof repoPaths>;

/** Names of files a writer left half-done (atomic-write temporaries); never part of the repository. */
export const isTemporary = (name: string) => name.startsWith(".") && name.endsWith(".cradle-tmp");
