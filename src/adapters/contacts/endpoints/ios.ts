import type Database from "better-sqlite3";
import type { Listed, ReadResult, WriteBatch, WriteOutcome } from "../../../core/endpoint.js";
import { IosStoreEndpoint } from "../../shared/ios-store-endpoint.js";
import { statement } from "../../shared/statements.js";
import { fieldsToContact } from "../fields.js";
import { loadPersons, type PersonRecord, personToContact } from "../ios/read.js";
import { fromCoreDataSeconds, openAddressBook } from "../ios/schema.js";
import { writeContact } from "../ios/write.js";
import type { Contact } from "../model.js";
import { contactItem } from "../sync-item.js";
import { parseVCards, serializeVCard } from "../vcard.js";

/**
 * `ios:DIR` for contacts: the AddressBook.sqlitedb of an iOS home tree. Native ids are ABPerson
 * ROWIDs and tokens their ModificationDate. The AddressBook has no column for PHOTO, CATEGORIES
 * or unknown X- properties.
 */
export class ContactsIosEndpoint extends IosStoreEndpoint {
  constructor(dir: string) {
    super(dir, "contacts", "Library/AddressBook/AddressBook.sqlitedb", "ABPerson", openAddressBook);
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
          out.set(id, { ok: false, error: { where: this.where(id), message: problem } });
        else
          out.set(id, {
            ok: true,
            item: {
              ...contactItem(canonical(contact)),
              modified: fromCoreDataSeconds(person.modified).getTime(),
            },
          });
      }
      for (const id of ids) if (!out.has(id)) out.set(id, this.vanished(id));
      return out;
    });
  }

  async write(batch: WriteBatch): Promise<WriteOutcome[]> {
    return this.writeAll(batch, (db) => ({
      remove: (rowid) => {
        writeContact(db, null, rowid);
      },
      update: (rowid, uid, fields) => writeContact(db, fieldsToContact(fields, uid, "3.0"), rowid).rowid,
      create: (uid, fields) => writeContact(db, fieldsToContact(fields, uid, "3.0")).rowid,
      token: (rowid) =>
        String(
          (statement(db, "SELECT ModificationDate FROM ABPerson WHERE ROWID = ?").pluck().get(rowid) as
            | number
            | null) ?? 0,
        ),
    }));
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
