/**
 * Writes Accounts3.sqlite from the real iOS 15 schema with one signed-in iCloud account
 * (com.apple.account.AppleAccount) whose enabled data classes are exactly the domains asked for,
 * so that the iCloud guard (src/guard) decides on it as on a real device.
 *
 * Rows follow the shape of the josh fixture's: the account type and the iCloud account copy its
 * columns (owning bundles, visibility, credential type); Contacts, Calendars and CloudPhotos are
 * always provisioned, supported and syncable, and enabled only when asked. Accounts other than
 * iCloud, account properties and the Core Data model cache are not written.
 */
import Database from "better-sqlite3";
import { toCoreDataSeconds } from "../../adapters/contacts/ios/schema.js";
import type { Domain } from "../../core/endpoint.js";
import { APPLE_ACCOUNT_TYPE, DOMAIN_DATACLASS } from "../../guard/accounts.js";
import { archiveString } from "./keyed-archive-writer.js";
import type { Random } from "./random.js";
import { readSchemaResource } from "./resources.js";

/** Core Data entity numbers of the iOS 15 model (Z_PRIMARYKEY); the join tables are named after them. */
const ENTITY = {
  AccessOptionsKey: 1,
  Account: 2,
  AccountProperty: 3,
  AccountType: 4,
  Authorization: 5,
  CredentialItem: 6,
  Dataclass: 7,
} as const;

const DOMAINS: Domain[] = ["contacts", "calendars", "photos"];
const ACCOUNT_TYPE_PK = 1;
const ACCOUNT_PK = 1;

export interface AccountsOptions {
  /** Domains whose iCloud switch is on. */
  icloud: readonly Domain[];
  /** The Apple ID shown in Settings. */
  appleId: string;
  createdAt: Date;
  random: Random;
}

export function writeAccounts3(path: string, options: AccountsOptions): void {
  const db = new Database(path);
  try {
    // The fixture's store uses incremental auto-vacuum and WAL; auto_vacuum must precede any table.
    db.pragma("auto_vacuum = INCREMENTAL");
    db.pragma("journal_mode = WAL");
    db.exec(readSchemaResource("accounts3.sql"));
    db.transaction(() => fill(db, options))();
  } finally {
    db.close();
  }
}

function fill(db: Database.Database, options: AccountsOptions): void {
  const { random } = options;
  db.prepare(readSchemaResource("accounts3-metadata.sql")).run({ uuid: random.uuid() });

  db.prepare(
    `INSERT INTO ZACCOUNTTYPE (Z_PK, Z_ENT, Z_OPT, ZOBSOLETE, ZSUPPORTSAUTHENTICATION, ZSUPPORTSMULTIPLEACCOUNTS,
       ZVISIBILITY, ZACCOUNTTYPEDESCRIPTION, ZCREDENTIALPROTECTIONPOLICY, ZCREDENTIALTYPE, ZIDENTIFIER, ZOWNINGBUNDLEID)
     VALUES (?, ?, 1, 0, 1, 1, 1, 'iCloud', 'ck', 'token', ?, 'com.apple.accountsd')`,
  ).run(ACCOUNT_TYPE_PK, ENTITY.AccountType, APPLE_ACCOUNT_TYPE);

  db.prepare(
    `INSERT INTO ZACCOUNT (Z_PK, Z_ENT, Z_OPT, ZACTIVE, ZAUTHENTICATED, ZSUPPORTSAUTHENTICATION, ZVISIBLE, ZWARMINGUP,
       ZACCOUNTTYPE, ZPARENTACCOUNT, ZDATE, ZACCOUNTDESCRIPTION, ZIDENTIFIER, ZMODIFICATIONID, ZOWNINGBUNDLEID, ZUSERNAME)
     VALUES (?, ?, 1, 1, 1, 1, 1, 0, ?, NULL, ?, 'iCloud', ?, ?, 'com.apple.purplebuddy', ?)`,
  ).run(
    ACCOUNT_PK,
    ENTITY.Account,
    ACCOUNT_TYPE_PK,
    toCoreDataSeconds(options.createdAt),
    random.uuid(),
    random.uuid(),
    options.appleId,
  );

  const insertDataclass = db.prepare(
    "INSERT INTO ZDATACLASS (Z_PK, Z_ENT, Z_OPT, ZNAME) VALUES (?, ?, 1, ?)",
  );
  const link = (table: string) =>
    db.prepare(`INSERT INTO ${table} VALUES (?, ?)`) as Database.Statement<[number, number]>;
  const provisioned = link(`Z_${ENTITY.Account}PROVISIONEDDATACLASSES`);
  const enabled = link(`Z_${ENTITY.Account}ENABLEDDATACLASSES`);
  const supported = link(`Z_${ENTITY.AccountType}SUPPORTEDDATACLASSES`);
  const syncable = link(`Z_${ENTITY.AccountType}SYNCABLEDATACLASSES`);
  DOMAINS.forEach((domain, i) => {
    const pk = i + 1;
    insertDataclass.run(pk, ENTITY.Dataclass, archiveString(DOMAIN_DATACLASS[domain]));
    supported.run(ACCOUNT_TYPE_PK, pk);
    syncable.run(ACCOUNT_TYPE_PK, pk);
    provisioned.run(ACCOUNT_PK, pk);
    if (options.icloud.includes(domain)) enabled.run(ACCOUNT_PK, pk);
  });

  const max: Partial<Record<keyof typeof ENTITY, number>> = {
    Account: 1,
    AccountType: 1,
    Dataclass: DOMAINS.length,
  };
  const primaryKey = db.prepare(
    "INSERT INTO Z_PRIMARYKEY (Z_ENT, Z_NAME, Z_SUPER, Z_MAX) VALUES (?, ?, 0, ?)",
  );
  for (const [name, ent] of Object.entries(ENTITY))
    primaryKey.run(ent, name, max[name as keyof typeof ENTITY] ?? 0);
}
