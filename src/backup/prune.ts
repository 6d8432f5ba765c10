/**
 * `forget` and `prune`. forget removes snapshot files the policy does not keep (per device).
 * prune then finds the blobs the remaining snapshots use and rewrites the repository without
 * the rest, in an order that keeps it valid at every step (restic's):
 *   1. copy the used blobs of partly used packs into new packs;
 *   2. write one new index naming every pack that stays and every new one;
 *   3. delete the old index files, then the packs no index names.
 * A crash before 3 leaves extra packs and index files, which the next prune removes.
 */
import { withWriterLock } from "./repository/lock.js";
import type { PackedBlob } from "./repository/pack.js";
import type { Repository } from "./repository/repository.js";
import { applyPolicy, type RetentionPolicy } from "./retention.js";
import { listSnapshots, loadTree, type Snapshot } from "./snapshot.js";

export interface ForgetReport {
  keep: { snapshot: Snapshot; reasons: string[] }[];
  remove: Snapshot[];
  prune?: PruneReport;
  dryRun: boolean;
}

export interface PruneReport {
  packsDeleted: number;
  packsRewritten: number;
  bytesFreed: number;
}

export async function forget(options: {
  repo: Repository;
  policy: RetentionPolicy;
  udid?: string;
  prune?: boolean;
  dryRun?: boolean;
}): Promise<ForgetReport> {
  const { repo, policy, dryRun = false } = options;
  return withWriterLock(repo, async () => {
    const all = (await listSnapshots(repo)).filter(
      (s) => options.udid === undefined || s.device.udid === options.udid,
    );
    const keep: ForgetReport["keep"] = [];
    const remove: Snapshot[] = [];
    for (const udid of new Set(all.map((s) => s.device.udid))) {
      const decisions = applyPolicy(
        all.filter((s) => s.device.udid === udid),
        (s) => new Date(s.time),
        policy,
      );
      for (const d of decisions.reverse()) {
        if (d.keep) keep.push({ snapshot: d.item, reasons: d.reasons });
        else remove.push(d.item);
      }
    }
    if (dryRun) return { keep, remove, dryRun };
    for (const s of remove) await repo.removeSnapshot(s.id);
    const report: ForgetReport = { keep, remove, dryRun };
    if (options.prune) report.prune = await _prune(repo);
    return report;
  });
}

async function _prune(repo: Repository): Promise<PruneReport> {
  await repo.reindexOrphans();
  const used = new Set<string>();
  for (const snap of await listSnapshots(repo)) {
    used.add(snap.tree);
    for (const e of await loadTree(repo, snap)) for (const id of e.chunks ?? []) used.add(id);
  }
  const packs = new Map<string, PackedBlob[]>();
  for (const [id, at] of repo.index) packs.set(at.pack, [...(packs.get(at.pack) ?? []), { id, ...at }]);
  const keepPacks = new Map<string, PackedBlob[]>();
  const dropPacks: string[] = [];
  let bytesFreed = 0;
  let rewritten = 0;
  for (const [pack, blobs] of packs) {
    const live = blobs.filter((b) => used.has(b.id));
    if (live.length === blobs.length) {
      keepPacks.set(pack, blobs);
      continue;
    }
    dropPacks.push(pack);
    for (const b of blobs) if (!used.has(b.id)) bytesFreed += b.length;
    if (live.length > 0) rewritten++;
  }
  const indexFiles = [...repo.indexFiles.keys()];
  const staying = new Set(keepPacks.keys());
  // Forget the dropped packs' entries, then copy their live blobs into fresh packs one by one.
  const copies = dropPacks.flatMap((pack) =>
    (packs.get(pack) ?? []).filter((b) => used.has(b.id)).map((b) => ({ ...b, pack })),
  );
  for (const [id, at] of [...repo.index]) if (!staying.has(at.pack)) repo.index.delete(id);
  for (const c of copies) await repo.saveBlob(await repo.loadBlobAt(c.id, c), c.compressed, c.id);
  await repo.rewriteIndex(keepPacks, indexFiles);
  for (const pack of dropPacks) await repo.removePack(pack);
  return { packsDeleted: dropPacks.length, packsRewritten: rewritten, bytesFreed };
}
