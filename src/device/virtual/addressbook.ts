/**
 * Writes AddressBook.sqlitedb from the real iOS 15 schema (schemas/addressbook.sql), with the
 * bookkeeping rows a device has before its first contact, then fills it through the same
 * writeContact the ios: endpoint uses, so the rows are exactly those a sync would write.
 */
import Database from "better-sqlite3";
import { registerAppleFunctions } from "../../adapters/contacts/ios/functions.js";
import { openAddressBook } from "../../adapters/contacts/ios/schema.js";
import { writeContact } from "../../adapters/contacts/ios/write.js";
import type { Contact } from "../../adapters/contacts/model.js";
import type { Random } from "./random.js";
import { readSchemaResource } from "./resources.js";

/** Apple's FTS4 tokenizer lives in the Contacts framework; SQLite elsewhere cannot even create the table. */
const APPLE_TOKENIZER = /tokenize=ab_cf_tokenizer language="en-US" collator="en-US@collation=search"/;
const FULL_TEXT_TABLE = "ABPersonFullTextSearch";
/** FTS4 makes its shadow tables itself, and SQLite forbids creating them by name. */
const SHADOW_TABLES = new RegExp(`^CREATE TABLE IF NOT EXISTS '${FULL_TEXT_TABLE}_\\w+'.*;$`, "gm");

/** A save by the Contacts app rather than by a sync client (the identifier is inferred, not observed). */
const CONTACTS_APP_CLIENT = "com.apple.MobileAddressBook";

/**
 * _SqliteDatabaseProperties as the iOS 15 fixture holds them, except the per-device and
 * per-content values, which are set below. The sort-cache entries record the ICU data the sort
 * keys were built with; a device rebuilds the keys when they differ.
 */
const FIXTURE_PROPERTIES: [string, string][] = [
  ["_ClientVersion", "83"],
  ["PersonLinkerVersion", "9"],
  ["SortingCacheLanguage", "en-US"],
  ["SortingCacheICUVersion", "1140981760"],
  ["SortingCacheICUCollatorVersion", "-1721237504"],
  ["SortingCacheICUUCAVersion", "218103808"],
  ["SortingCacheVersion", "35"],
  ["ABChangesToMeCards", "10"],
  ["ABChangesToLabels", "15"],
  ["ABChangesToPhoneLabels", "15"],
  ["ABChangesToEmailLabels", "15"],
  ["ABChangesToNames", "15"],
];

/** The local ("On My iPhone") store every AddressBook has, ROWID 0 as in the fixture. */
const LOCAL_STORE = 0;

export interface AddressBookOptions {
  contacts: Contact[];
  random: Random;
  /** The first save's time; each contact is saved a minute after the previous one. */
  createdAt: Date;
}

export function writeAddressBook(path: string, options: AddressBookOptions): void {
  const newGuid = () => options.random.uuid();
  createEmpty(path, newGuid);
  const db = openAddressBook(path, { newGuid });
  try {
    // One commit for the whole sample: a device of 10,000 contacts is made in seconds.
    db.transaction(() => {
      options.contacts.forEach((contact, i) => {
        const now = new Date(options.createdAt.getTime() + i * 60_000);
        writeContact(db, contact, undefined, { now, clientId: CONTACTS_APP_CLIENT, storeId: LOCAL_STORE });
      });
    })();
    const count = options.contacts.length;
    const setProperty = db.prepare(
      "INSERT OR REPLACE INTO _SqliteDatabaseProperties (key, value) VALUES (?, ?)",
    );
    setProperty.run("PeakContactCount", String(count));
    setProperty.run("PersonLinkerLastProcessedPerson", String(count));
  } finally {
    db.close();
  }
}

function createEmpty(path: string, newGuid: () => string): void {
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    registerAppleFunctions(db, newGuid);
    createSchema(db);
    db.transaction(() => {
      const setProperty = db.prepare("INSERT INTO _SqliteDatabaseProperties (key, value) VALUES (?, ?)");
      setProperty.run("_UniqueIdentifier", newGuid());
      for (const [key, value] of FIXTURE_PROPERTIES) setProperty.run(key, value);
      setProperty.run("DefaultStore", String(LOCAL_STORE));
      setProperty.run("MeSourceID", String(LOCAL_STORE));
      // The fixture's local row, enabled here because no account holds the contacts.
      db.prepare(
        `INSERT INTO ABStore (ROWID, Type, StoreInternalIdentifier, AccountID, Enabled, MeIdentifier, Capabilities, guid)
         VALUES (?, 0, 'local', -1, 1, -1, 0, ?)`,
      ).run(LOCAL_STORE, newGuid());
    })();
  } finally {
    db.close();
  }
}

/**
 * Runs the DDL with FTS4's built-in tokenizer for the full-text table (which makes the same shadow
 * tables the DDL lists), then puts Apple's statement
 * back into sqlite_master: the shadow tables are the same either way, and SQLite only needs the
 * tokenizer when the table is queried, which Cradle never does (a device rebuilds the index).
 */
function createSchema(db: Database.Database): void {
  const ddl = readSchemaResource("addressbook.sql");
  const appleStatement = new RegExp(`^CREATE VIRTUAL TABLE ${FULL_TEXT_TABLE} .*\\)(?=;$)`, "m").exec(
    ddl,
  )?.[0];
  if (!appleStatement || !APPLE_TOKENIZER.test(appleStatement))
    throw new Error(`addressbook.sql: no ${FULL_TEXT_TABLE} statement with Apple's tokenizer`);
  db.exec(ddl.replace(APPLE_TOKENIZER, "tokenize=simple").replace(SHADOW_TABLES, ""));
  db.unsafeMode(true);
  try {
    db.pragma("writable_schema = ON");
    db.prepare("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?").run(
      appleStatement,
      FULL_TEXT_TABLE,
    );
    db.pragma("writable_schema = OFF");
  } finally {
    db.unsafeMode(false);
  }
}
