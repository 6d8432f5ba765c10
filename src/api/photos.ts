import { fingerprintAsset, folderPathOf } from "../adapters/photos/model.js";
import { openAlbumsEndpoint } from "../adapters/resolve.js";
import { UsageError } from "../core/errors.js";
import { syncAlbums } from "../merge/albums/sync.js";
import { acquireLock } from "../state/lock.js";
import { defaultStateFile } from "../state/paths.js";
import { SyncState } from "../state/store.js";
import type { SyncEndpointsOptions, SyncEndpointsResult } from "./sync.js";

/** `cradle sync photos`: the album sync between album stores, under the same lock and state layout as records. */
export async function syncPhotoAlbums(options: SyncEndpointsOptions): Promise<SyncEndpointsResult> {
  if (options.endpoints.length < 2)
    throw new UsageError("sync needs at least two endpoints, e.g. ios:DIR albums:DIR.");
  const endpoints = await Promise.all(options.endpoints.map(openAlbumsEndpoint));
  const prefer = options.prefer === undefined ? undefined : (await openAlbumsEndpoint(options.prefer)).uri;
  const stateFile =
    options.stateFile ??
    defaultStateFile(
      "photos",
      endpoints.map((e) => e.uri),
    );
  const release = acquireLock(stateFile);
  const state = SyncState.open(stateFile);
  try {
    const report = await syncAlbums({
      endpoints,
      state,
      fingerprint: fingerprintAsset,
      prefer,
      dryRun: options.dryRun,
      allowEmpty: options.allowEmpty,
      onProgress: options.onProgress,
    });
    return { domain: "photos", stateFile, ...report, collections: [] };
  } finally {
    state.close();
    release();
  }
}

export interface AlbumSummary {
  title: string;
  /** "Trips/2024", or "" at the top. */
  folder: string;
  count: number;
}

/** `cradle show photos`: every album of a store, in the store's order. */
export async function showAlbums(spec: string): Promise<AlbumSummary[]> {
  const library = await (await openAlbumsEndpoint(spec)).read();
  const byId = new Map(library.nodes.map((n) => [n.id, n]));
  return library.nodes
    .filter((n) => n.kind === "album")
    .map((n) => ({ title: n.title, folder: folderPathOf(n, byId), count: n.members.length }));
}
