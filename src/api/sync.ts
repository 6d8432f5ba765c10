import { openEndpoint } from "../adapters/resolve.js";
import type { CollectionMeta, Domain } from "../core/endpoint.js";
import { UsageError } from "../core/errors.js";
import type { Progress } from "../merge/observe.js";
import { type SyncReport, sync } from "../merge/sync.js";
import { acquireLock } from "../state/lock.js";
import { defaultStateFile } from "../state/paths.js";
import { SyncState } from "../state/store.js";
import { fillCollectionMeta } from "./collections.js";

export interface SyncEndpointsOptions {
  domain: Domain;
  /** Endpoint specs such as "vdir:~/contacts" or "file:export.vcf". */
  endpoints: string[];
  /** The state database; default: one per domain and endpoint group under the state home. */
  stateFile?: string;
  /** An endpoint spec whose values win conflicts. */
  prefer?: string;
  dryRun?: boolean;
  allowEmpty?: boolean;
  onProgress?: Progress;
}

export interface SyncEndpointsResult extends SyncReport {
  domain: Domain;
  stateFile: string;
  /** Collection names and colours carried to endpoints that had none. */
  collections: { endpoint: string; meta: CollectionMeta }[];
}

/**
 * Syncs a domain between endpoints given as specs: opens them, takes the state lock, runs the
 * merge and releases everything. This is what `cradle sync` calls.
 */
export async function syncEndpoints(options: SyncEndpointsOptions): Promise<SyncEndpointsResult> {
  if (options.domain === "photos") return (await import("./photos.js")).syncPhotoAlbums(options);
  if (options.endpoints.length < 2)
    throw new UsageError("sync needs at least two endpoints, e.g. vdir:A vdir:B.");
  const endpoints = await Promise.all(options.endpoints.map((spec) => openEndpoint(options.domain, spec)));
  const uris = endpoints.map((e) => e.uri);
  const prefer =
    options.prefer === undefined ? undefined : (await openEndpoint(options.domain, options.prefer)).uri;
  const stateFile = options.stateFile ?? defaultStateFile(options.domain, uris);
  const release = acquireLock(stateFile);
  const state = SyncState.open(stateFile);
  try {
    const report = await sync({
      endpoints,
      state,
      prefer,
      dryRun: options.dryRun,
      allowEmpty: options.allowEmpty,
      onProgress: options.onProgress,
    });
    const collections = options.dryRun ? [] : await fillCollectionMeta(endpoints);
    return { domain: options.domain, stateFile, ...report, collections };
  } finally {
    state.close();
    release();
  }
}
