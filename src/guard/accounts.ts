/**
 * Reads which data classes iCloud (and other over-the-air accounts) sync, from an iOS
 * Accounts3.sqlite. The schema was checked against the iLEAPP josh (iOS 15) and belkasoft fixtures
 * in test/fixtures/ios/accounts/ (see ATTRIBUTION.md there).
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import Database from "better-sqlite3";
import type { Domain } from "../core/endpoint.js";
import { CradleError } from "../core/errors.js";
import { isBinaryPlist } from "../device/plist/binary.js";
import { unarchiveString } from "./keyed-archive.js";

export const APPLE_ACCOUNT_TYPE = "com.apple.account.AppleAccount";

/** The data class that carries each Cradle domain's iCloud switch. */
export const DOMAIN_DATACLASS: Record<Domain, string> = {
  contacts: "com.apple.Dataclass.Contacts",
  calendars: "com.apple.Dataclass.Calendars",
  photos: "com.apple.Dataclass.CloudPhotos",
};

/**
 * Read-only feeds (the "US Holidays" calendar has Calendars enabled in both fixtures): they never
 * write back, so they are not a second sync protocol and are not reported as syncers.
 */
const SUBSCRIPTION_TYPES = new Set([
  "com.apple.account.HolidayCalendar",
  "com.apple.account.SubscribedCalendar",
]);

/** A non-iCloud account that syncs at least one Cradle domain over the air (e.g. Google via CardDAV). */
export interface OtherSyncer {
  /** The top-level account's type, e.g. "com.apple.account.Google". */
  accountType: string;
  /** What Settings shows, e.g. "Gmail". */
  description: string;
  /** Every data class enabled on the account or its children, sorted. */
  dataclasses: string[];
}

export interface CloudDataclasses {
  /** The iCloud account's Apple ID (or description); undefined when no iCloud account is signed in. */
  account: string | undefined;
  /** Data classes enabled on the iCloud account(s), e.g. "com.apple.Dataclass.Contacts". */
  enabled: Set<string>;
  otherSyncers: OtherSyncer[];
}

/** Accounts3.sqlite is missing, corrupt or not an accounts database. */
export class AccountsDbError extends CradleError {}

interface AccountRow {
  pk: number;
  parent: number | null;
  description: string | null;
  username: string | null;
  type: string | null;
  typeDescription: string | null;
}

export function readCloudDataclasses(accountsDbPath: string): CloudDataclasses {
  if (!existsSync(accountsDbPath)) {
    throw new AccountsDbError(
      `The accounts database ${accountsDbPath} does not exist, so the iCloud state cannot be checked. ` +
        "Point Cradle at the device's Library/Accounts/Accounts3.sqlite.",
      { path: accountsDbPath },
    );
  }
  try {
    return withSnapshot(accountsDbPath, (copy) => {
      const db = new Database(copy, { readonly: true, fileMustExist: true });
      try {
        return readFrom(db);
      } finally {
        db.close();
      }
    });
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new AccountsDbError(
      `The accounts database ${accountsDbPath} cannot be read (${detail}), so the iCloud state cannot be ` +
        "checked. Copy Accounts3.sqlite again, together with its -wal file, and retry.",
      { path: accountsDbPath, cause: detail },
    );
  }
}

/**
 * Runs `read` on a private copy of the database and its -wal. A read-only SQLite connection still
 * rebuilds the -shm wal-index in place (observed on the josh fixture: the -shm's sha256 changed), and
 * a backup or device folder must stay byte-identical. The -shm is not copied: SQLite rebuilds it
 * from the -wal, which is where iOS keeps recent rows.
 */
function withSnapshot<T>(path: string, read: (copy: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "cradle-accounts-"));
  try {
    const copy = join(dir, basename(path));
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    return read(copy);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readFrom(db: Database.Database): CloudDataclasses {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    ),
  );
  for (const required of ["ZACCOUNT", "ZACCOUNTTYPE", "ZDATACLASS"]) {
    if (!tables.has(required)) throw new Error(`not an Accounts3 database: table ${required} is missing`);
  }
  const join = findEnabledJoin(db, tables);

  const accounts = db
    .prepare(
      `SELECT a.Z_PK AS pk, a.ZPARENTACCOUNT AS parent, a.ZACCOUNTDESCRIPTION AS description,
              a.ZUSERNAME AS username, t.ZIDENTIFIER AS type, t.ZACCOUNTTYPEDESCRIPTION AS typeDescription
         FROM ZACCOUNT a LEFT JOIN ZACCOUNTTYPE t ON t.Z_PK = a.ZACCOUNTTYPE`,
    )
    .all() as AccountRow[];
  const byPk = new Map(accounts.map((a) => [a.pk, a]));

  const enabledRows = db
    .prepare(
      `SELECT e."${join.accountColumn}" AS account, d.ZNAME AS name
         FROM "${join.table}" e JOIN ZDATACLASS d ON d.Z_PK = e."${join.dataclassColumn}"`,
    )
    .all() as { account: number; name: unknown }[];

  // A switch can sit on the top-level account or on a child (CardDAV, IMAPMail...): group by root.
  const enabledByRoot = new Map<number, Set<string>>();
  for (const row of enabledRows) {
    const name = dataclassName(row.name);
    const root = rootOf(row.account, byPk);
    if (name === undefined || root === undefined) continue;
    const set = enabledByRoot.get(root.pk) ?? new Set<string>();
    set.add(name);
    enabledByRoot.set(root.pk, set);
  }

  // Union over every AppleAccount: more than one is unusual, but any of them syncing must count.
  const appleAccounts = accounts.filter((a) => a.type === APPLE_ACCOUNT_TYPE && a.parent === null);
  const enabled = new Set<string>();
  for (const a of appleAccounts) for (const name of enabledByRoot.get(a.pk) ?? []) enabled.add(name);
  const first = appleAccounts[0];

  const cradleDataclasses = new Set(Object.values(DOMAIN_DATACLASS));
  const otherSyncers: OtherSyncer[] = [];
  for (const [rootPk, names] of enabledByRoot) {
    const root = byPk.get(rootPk);
    if (!root || root.type === APPLE_ACCOUNT_TYPE || SUBSCRIPTION_TYPES.has(root.type ?? "")) continue;
    if (![...names].some((n) => cradleDataclasses.has(n))) continue;
    otherSyncers.push({
      accountType: root.type ?? "unknown",
      description:
        root.description ?? root.username ?? root.typeDescription ?? root.type ?? "unknown account",
      dataclasses: [...names].sort(),
    });
  }

  return {
    account: first ? (first.username ?? first.description ?? undefined) : undefined,
    enabled,
    otherSyncers,
  };
}

/**
 * Core Data names the many-to-many table Z_<account entity>ENABLEDDATACLASSES, and the entity numbers
 * vary by iOS version, so find it in sqlite_master (preferring the one Z_PRIMARYKEY's Account entity
 * predicts) and take its columns from PRAGMA table_info.
 */
function findEnabledJoin(
  db: Database.Database,
  tables: Set<string>,
): { table: string; accountColumn: string; dataclassColumn: string } {
  const candidates = [...tables].filter((t) => /^Z_\d+ENABLEDDATACLASSES$/.test(t));
  let expected: string | undefined;
  if (tables.has("Z_PRIMARYKEY")) {
    const ent = db.prepare("SELECT Z_ENT AS ent FROM Z_PRIMARYKEY WHERE Z_NAME = 'Account'").get() as
      | { ent: number }
      | undefined;
    if (ent) expected = `Z_${ent.ent}ENABLEDDATACLASSES`;
  }
  const table =
    candidates.find((t) => t === expected) ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!table) throw new Error("not an Accounts3 database: no Z_<n>ENABLEDDATACLASSES table");

  const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map(
    (c) => c.name,
  );
  const accountColumn = columns.find((c) => /^Z_\d+ENABLEDACCOUNTS$/.test(c));
  const dataclassColumn = columns.find((c) => /^Z_\d+ENABLEDDATACLASSES$/.test(c));
  if (!accountColumn || !dataclassColumn)
    throw new Error(`unexpected columns in ${table}: ${columns.join(", ")}`);
  return { table, accountColumn, dataclassColumn };
}

/** ZNAME is an NSKeyedArchiver bplist wrapping the name; tolerate a plain string too. */
function dataclassName(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (!(value instanceof Uint8Array)) return undefined;
  if (isBinaryPlist(value)) return unarchiveString(value);
  return Buffer.from(value).toString("utf8");
}

/** Follows ZPARENTACCOUNT up to the top-level account; undefined for a dangling or cyclic chain. */
function rootOf(pk: number, byPk: Map<number, AccountRow>): AccountRow | undefined {
  let account = byPk.get(pk);
  for (let hops = 0; account && account.parent !== null; hops++) {
    if (hops > byPk.size) return undefined;
    account = byPk.get(account.parent);
  }
  return account;
}
