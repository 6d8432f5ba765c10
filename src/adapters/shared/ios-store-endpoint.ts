import { existsSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import type {
  Domain,
  Endpoint,
  GuardVerdict,
  Listed,
  ReadResult,
  WriteBatch,
  WriteOutcome,
} from "../../core/endpoint.js";
import type { Fields } from "../../core/fields.js";
import { cloudGuard } from "../../guard/guard.js";

/** How one store writes a record: each call is its own savepoint; ids are ROWIDs. */
export interface RecordWriter {
  remove(rowid: number): void;
  /** Returns the ROWID the record has after the write. */
  update(rowid: number, uid: string, fields: Fields): number;
  create(uid: string, fields: Fields): number;
  /** The change token list() gives the record now. */
  token(rowid: number): string;
}

/**
 * `ios:DIR`: one SQLite store of an iOS home tree laid out like /var/mobile (a virtual iPhone, an
 * unpacked backup, a file-system extraction), opened with the WAL beside it for one operation at
 * a time. Before any write the iCloud guard reads Accounts3.sqlite: when iCloud syncs the domain,
 * cable sync must not touch it. A store holds less than its records carry, so the endpoint is lossy.
 */
export abstract class IosStoreEndpoint implements Endpoint {
  readonly readOnly = false;
  readonly lossy = true;
  readonly uri: string;
  /** The store's path, e.g. DIR/Library/Calendar/Calendar.sqlitedb. */
  protected readonly path: string;
  private readonly accounts: string;

  constructor(
    private readonly dir: string,
    readonly domain: Domain,
    relativePath: string,
    /** The table whose ROWIDs are the native ids, for messages ("ABPerson"). */
    private readonly table: string,
    private readonly open: (path: string, options: { readonly: boolean }) => Database.Database,
  ) {
    this.uri = `ios:${dir}`;
    this.path = join(dir, ...relativePath.split("/"));
    this.accounts = join(dir, "Library", "Accounts", "Accounts3.sqlite");
  }

  async guard(): Promise<GuardVerdict> {
    if (!existsSync(this.accounts)) return { enabled: true };
    return cloudGuard(this.accounts, this.domain, `the device at ${this.dir}`);
  }

  abstract list(): Promise<Listed[]>;
  abstract read(ids: string[]): Promise<Map<string, ReadResult>>;
  abstract write(batch: WriteBatch): Promise<WriteOutcome[]>;

  /** Opens the database (with the WAL beside it) for one operation and always closes it. */
  protected withDb<T>(readonly: boolean, use: (db: Database.Database) => T): T {
    const db = this.open(this.path, { readonly });
    try {
      return use(db);
    } finally {
      db.close();
    }
  }

  /** Where a record is, for messages: "…/AddressBook.sqlitedb#ABPerson/12". */
  protected where(id: string): string {
    return `${this.path}#${this.table}/${id}`;
  }

  /** What read() gives for an id the store no longer has. */
  protected vanished(id: string): ReadResult {
    return { ok: false, error: { where: this.where(id), message: "vanished while syncing" } };
  }

  /**
   * Deletes, then updates, then creates, in one transaction (one commit), each record a savepoint
   * in it: a record that fails leaves the others written and is reported on its own.
   */
  protected writeAll(
    batch: WriteBatch,
    writer: (db: Database.Database) => RecordWriter,
  ): Promise<WriteOutcome[]> {
    return Promise.resolve(
      this.withDb(false, (db) =>
        db
          .transaction(() => {
            const records = writer(db);
            const outcomes: WriteOutcome[] = [];
            const attempt = (fail: (message: string) => WriteOutcome, run: () => WriteOutcome) => {
              try {
                outcomes.push(db.transaction(run)());
              } catch (error) {
                outcomes.push(fail((error as Error).message));
              }
            };
            for (const id of batch.delete)
              attempt(
                (error) => ({ kind: "delete", id, ok: false, error }),
                () => {
                  records.remove(Number(id));
                  return { kind: "delete", id, ok: true };
                },
              );
            for (const u of batch.update)
              attempt(
                (error) => ({ kind: "update", id: u.id, uid: u.uid, ok: false, error }),
                () => {
                  const rowid = records.update(Number(u.id), u.uid, u.fields);
                  return {
                    kind: "update",
                    uid: u.uid,
                    ok: true,
                    id: String(rowid),
                    token: records.token(rowid),
                  };
                },
              );
            for (const c of batch.create)
              attempt(
                (error) => ({ kind: "create", uid: c.uid, ok: false, error }),
                () => {
                  const rowid = records.create(c.uid, c.fields);
                  return {
                    kind: "create",
                    uid: c.uid,
                    ok: true,
                    id: String(rowid),
                    token: records.token(rowid),
                  };
                },
              );
            return outcomes;
          })
          .immediate(),
      ),
    );
  }
}
