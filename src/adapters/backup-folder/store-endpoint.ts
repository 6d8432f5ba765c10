import { resolve } from "node:path";
import type {
  Domain,
  Endpoint,
  GuardVerdict,
  Listed,
  ReadResult,
  WriteBatch,
  WriteOutcome,
} from "../../core/endpoint.js";
import { BackupError } from "./errors.js";
import { withExtractedHome } from "./extract.js";

const DOMAIN = "HomeDomain";

/** What a domain's backup endpoint needs: where its store sits and how ios: reads it. */
export interface BackupStore {
  domain: Domain;
  /** The database's path in the device home, e.g. Library/Calendar/Calendar.sqlitedb. */
  relativePath: string;
  /** The ios: endpoint over a home tree. */
  open(home: string): Endpoint;
  /** The problem an error of the store's own reader states, without the temp path; else undefined. */
  problem(error: unknown, extracted: string): string | undefined;
}

/**
 * `backup:DIR`: one store inside an unencrypted iOS backup folder (Finder/iTunes/idevicebackup2
 * layout), read-only. Each call extracts the database (and its -wal when the backup has one) into
 * a temp home and reads it with the domain's ios: endpoint, so ids, tokens and records are exactly
 * what ios: gives.
 */
export class BackupStoreEndpoint implements Endpoint {
  readonly readOnly = true;
  readonly uri: string;
  readonly domain: Domain;
  private readonly dir: string;

  constructor(
    dir: string,
    private readonly store: BackupStore,
  ) {
    this.dir = resolve(dir);
    this.uri = `backup:${this.dir}`;
    this.domain = store.domain;
  }

  /**
   * Always enabled, even when iCloud syncs the domain on the backed-up device: the guard keeps two
   * sync protocols from writing one store, and nothing is ever written to a backup.
   */
  async guard(): Promise<GuardVerdict> {
    return { enabled: true };
  }

  async list(): Promise<Listed[]> {
    return this.withDevice((device) => device.list());
  }

  async read(ids: string[]): Promise<Map<string, ReadResult>> {
    return this.withDevice(async (device, extracted) => {
      const results = await device.read(ids);
      // Report problems against the backup, not the temp copy that vanishes after this call.
      for (const [id, result] of results)
        if (!result.ok)
          results.set(id, {
            ok: false,
            error: { ...result.error, where: result.error.where.replace(extracted, this.describe()) },
          });
      return results;
    });
  }

  async write(batch: WriteBatch): Promise<WriteOutcome[]> {
    const error = `${this.uri} is a backup and is only read; nothing was written to it`;
    return [
      ...batch.delete.map((id): WriteOutcome => ({ kind: "delete", id, ok: false, error })),
      ...batch.update.map((u): WriteOutcome => ({ kind: "update", id: u.id, uid: u.uid, ok: false, error })),
      ...batch.create.map((c): WriteOutcome => ({ kind: "create", uid: c.uid, ok: false, error })),
    ];
  }

  private describe(): string {
    return `${this.uri} ${DOMAIN}/${this.store.relativePath}`;
  }

  /** Extracts the store and hands an ios: endpoint over the temp home to `use`. */
  private withDevice<T>(use: (device: Endpoint, extracted: string) => Promise<T>): Promise<T> {
    const path = this.store.relativePath;
    const files = [
      { domain: DOMAIN, relativePath: path },
      { domain: DOMAIN, relativePath: `${path}-wal`, optional: true },
    ];
    return withExtractedHome(this.dir, files, async (home) => {
      const extracted = resolve(home, ...path.split("/"));
      try {
        return await use(this.store.open(home), extracted);
      } catch (error) {
        const problem = this.store.problem(error, extracted);
        if (problem !== undefined)
          throw new BackupError(`${this.describe()}: ${problem}.`, {
            dir: this.dir,
            domain: DOMAIN,
            relativePath: path,
          });
        throw error;
      }
    });
  }
}
