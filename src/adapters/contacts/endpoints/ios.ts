import { existsSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import type {
  Endpoint,
  GuardVerdict,
  Listed,
  ReadResult,
  WriteBatch,
  WriteOutcome,
} from "../../../core/endpoint.js";
import { cloudGuard } from "../../../guard/guard.js";
import { fieldsToContact } from "../fields.js";
import { loadPersons, type PersonRecord, personToContact } from "../ios/read.js";
import { fromCoreDataSeconds, openAddressBook } from "../ios/schema.js";
import { writeContact } from "../ios/write.js";
import type { Contact } from "../model.js";
import { contactItem } from "../sync-item.js";
import { parseVCards, serializeVCard } from "../vcard.js";

/**
 * `ios:DIR` for contacts: the AddressBook.sqlitedb of an iOS home tree laid out like
 * /var/mobile (a virtual iPhone, an unpacked backup, a file-system extraction). Native ids are
 * ABPerson ROWIDs and tokens their ModificationDate. Before any write the iCloud guard reads
 * Accounts3.sqlite: when iCloud syncs Contacts, cable sync must not touch them.
 */
export class ContactsIosEndpoint implements Endpoint {
  readonly domain = "contacts";
  readonly readOnly = false;
  /** The AddressBook has no column for PHOTO, CATEGORIES or unknown X- properties. */
  readonly lossy = true;
  readonly uri: string;
  private readonly addressBook: string;
  private readonly accounts: string;

  constructor(private readonly dir: string) {
    this.uri = `ios:${dir}`;
    this.addressBook = join(dir, "Library", "AddressBook", "AddressBook.sqlitedb");
    this.accounts = join(dir, "Library", "Accounts", "Accounts3.sqlite");
  }

  async guard(): Promise<GuardVerdict> {
    if (!existsSync(this.accounts)) return { enabled: true };
    return cloudGuard(this.accounts, "contacts", `the device at ${this.dir}`);
  }

  async list(): Promise<Listed[]> {
    return this.withDb(true, (db) =>
      (
        db.prepare("SELECT ROWID AS id, ModificationDate AS modified FROM ABPerson").all() as {
          id: number;
          modified: number | null;
        }[]
      ).map((row) => ({ id: String(row.id), token: String(row.modified ?? 0) })),
    );
  }

  async read(ids: string[]): Promise<Map<string, ReadResult>> {
    return this.withDb(true, (db) => {
      const out = new Map<string, ReadResult>();
      for (const person of persons(db, ids)) {
        const id = String(person.rowid);
        const { contact, problems } = personToContact(person);
        const problem = problems[0];
        if (problem !== undefined)
          out.set(id, {
            ok: false,
            error: { where: `${this.addressBook}#ABPerson/${id}`, message: problem },
          });
        else
          out.set(id, {
            ok: true,
            item: {
              ...contactItem(canonical(contact)),
              modified: fromCoreDataSeconds(person.modified).getTime(),
            },
          });
      }
      for (const id of ids) {
        if (!out.has(id))
          out.set(id, {
            ok: false,
            error: { where: `${this.addressBook}#ABPerson/${id}`, message: "vanished while syncing" },
          });
      }
      return out;
    });
  }

  /** One transaction for the whole batch (one commit, one fsync); each contact is a savepoint in it. */
  async write(batch: WriteBatch): Promise<WriteOutcome[]> {
    return this.withDb(false, (db) => this.writeAll(db, batch));
  }

  private writeAll(db: Database.Database, batch: WriteBatch): WriteOutcome[] {
    return db
      .transaction(() => {
        const token = (rowid: number) =>
          String(
            (db.prepare("SELECT ModificationDate FROM ABPerson WHERE ROWID = ?").pluck().get(rowid) as
              | number
              | null) ?? 0,
          );
        const outcomes: WriteOutcome[] = [];
        const attempt = (fail: (message: string) => WriteOutcome, run: () => WriteOutcome) => {
          try {
            outcomes.push(run());
          } catch (error) {
            outcomes.push(fail((error as Error).message));
          }
        };
        for (const id of batch.delete)
          attempt(
            (error) => ({ kind: "delete", id, ok: false, error }),
            () => {
              writeContact(db, null, Number(id));
              return { kind: "delete", id, ok: true };
            },
          );
        for (const u of batch.update)
          attempt(
            (error) => ({ kind: "update", id: u.id, uid: u.uid, ok: false, error }),
            () => {
              const { rowid } = writeContact(db, fieldsToContact(u.fields, u.uid, "3.0"), Number(u.id));
              return { kind: "update", uid: u.uid, ok: true, id: String(rowid), token: token(rowid) };
            },
          );
        for (const c of batch.create)
          attempt(
            (error) => ({ kind: "create", uid: c.uid, ok: false, error }),
            () => {
              const { rowid } = writeContact(db, fieldsToContact(c.fields, c.uid, "3.0"));
              return { kind: "create", uid: c.uid, ok: true, id: String(rowid), token: token(rowid) };
            },
          );
        return outcomes;
      })
      .immediate();
  }

  /** Opens the database (with the WAL beside it) for one operation and always closes it. */
  private withDb<T>(readonly: boolean, use: (db: Database.Database) => T): T {
    const db = openAddressBook(this.addressBook, { readonly });
    try {
      return use(db);
    } finally {
      db.close();
    }
  }
}

/** Up to this many persons are loaded one by one; more (a first sync) in one pass over the tables. */
const ONE_BY_ONE = 500;

function persons(db: Database.Database, ids: string[]): PersonRecord[] {
  if (ids.length <= ONE_BY_ONE) return ids.flatMap((id) => loadPersons(db, Number(id)));
  const wanted = new Set(ids);
  return loadPersons(db).filter((p) => wanted.has(String(p.rowid)));
}

/**
 * The vCard codec defines the canonical form of a contact (how an ORG with an empty department
 * or a year-less birthday is held). A contact built from AddressBook columns is brought to that
 * form, so the same card read from the phone and from a vdir gives the same Fields, and no side
 * seems to have changed a field nobody touched.
 */
function canonical(contact: Contact): Contact {
  return parseVCards(serializeVCard(contact, "4.0"), "AddressBook").cards[0]?.contact ?? contact;
}
