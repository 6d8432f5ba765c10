/**
 * `verify`: every snapshot's tree loads, every chunk it names is in the index, every pack the
 * index names exists and is long enough. With readData, every pack is read whole and every blob
 * decrypted, inflated and hashed against its id. A problem is reported with the files it harms.
 */
import { stat } from "node:fs/promises";
import type { Repository } from "./repository/repository.js";
import { listSnapshots, loadTree, type Snapshot } from "./snapshot.js";

export interface VerifyProblem {
  kind: "snapshot" | "missing-blob" | "missing-pack" | "corrupt-blob";
  message: string;
  /** "snapshot-id: domain-relativePath" of every file that uses the damaged data. */
  files: string[];
}

export interface VerifyReport {
  snapshots: number;
  packs: number;
  blobs: number;
  readData: boolean;
  bytesRead: number;
  problems: VerifyProblem[];
}

export async function verify(options: {
  repo: Repository;
  readData?: boolean;
  onProgress?: (p: { phase: string; loaded: number; total: number }) => void;
}): Promise<VerifyReport> {
  const { repo, readData = false, onProgress } = options;
  const problems: VerifyProblem[] = [];
  const users = new Map<string, string[]>();
  const use = (blob: string, who: string) => {
    const list = users.get(blob);
    if (list) list.push(who);
    else users.set(blob, [who]);
  };
  let snapshots: Snapshot[] = [];
  try {
    snapshots = await listSnapshots(repo);
  } catch (error) {
    problems.push({ kind: "snapshot", message: (error as Error).message, files: [] });
  }
  for (const snap of snapshots) {
    const short = snap.id.slice(0, 8);
    use(snap.tree, `${short}: (tree)`);
    const tree = await loadTree(repo, snap).catch((error: Error) => {
      problems.push({
        kind: "snapshot",
        message: `snapshot ${short}: its tree cannot be read: ${error.message}`,
        files: [],
      });
      return [];
    });
    for (const e of tree) for (const id of e.chunks ?? []) use(id, `${short}: ${e.domain}-${e.relativePath}`);
  }
  const filesOf = (blob: string) => [...new Set(users.get(blob) ?? [])];
  for (const blob of users.keys())
    if (!repo.index.has(blob))
      problems.push({ kind: "missing-blob", message: `blob ${blob} is in no index`, files: filesOf(blob) });

  const byPack = new Map<string, string[]>();
  for (const [id, at] of repo.index) {
    const list = byPack.get(at.pack);
    if (list) list.push(id);
    else byPack.set(at.pack, [id]);
  }
  let bytesRead = 0;
  const packs = [...byPack.keys()];
  // Whole packs, one read each, the next one read while this one's blobs are checked.
  const readWhole = (i: number) =>
    readData && i < packs.length ? repo.readPack(packs[i] as string).catch(() => undefined) : undefined;
  let next = readWhole(0);
  for (const [i, pack] of packs.entries()) {
    const bytes = await next;
    next = readWhole(i + 1);
    onProgress?.({ phase: readData ? "read" : "check", loaded: i, total: byPack.size });
    const blobs = byPack.get(pack) ?? [];
    const size = await stat(repo.paths.pack(pack)).then(
      (s) => s.size,
      () => -1,
    );
    const end = Math.max(
      ...blobs.map((b) => (repo.index.get(b)?.offset ?? 0) + (repo.index.get(b)?.length ?? 0)),
    );
    if (size < end) {
      const harmed = blobs.flatMap(filesOf);
      problems.push({
        kind: "missing-pack",
        message: size < 0 ? `pack ${pack} is missing` : `pack ${pack} is shorter than its index says`,
        files: [...new Set(harmed)],
      });
      continue;
    }
    if (!readData) continue;
    bytesRead += size;
    for (const blob of blobs) {
      try {
        const at = repo.index.get(blob);
        if (!bytes || !at) await repo.loadBlob(blob);
        else repo.blobInPack(blob, at, bytes);
      } catch (error) {
        problems.push({ kind: "corrupt-blob", message: (error as Error).message, files: filesOf(blob) });
      }
    }
  }
  return {
    snapshots: snapshots.length,
    packs: byPack.size,
    blobs: repo.index.size,
    readData,
    bytesRead,
    problems,
  };
}
