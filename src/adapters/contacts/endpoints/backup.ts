import { resolve } from "node:path";
import type {
  Endpoint,
  GuardVerdict,
  Listed,
  ReadResult,
  WriteBatch,
  WriteOutcome,
} from "../../../core/endpoint.js";
import { BackupError } from "../../backup-folder/errors.js";
import { withExtractedHome } from "../../backup-folder/extract.js";
import { AddressBookError } from "../ios/schema.js";
import { ContactsIosEndpoint } from "./ios.js";

const DOMAIN = "HomeDomain";
const ADDRESS_BOOK = "Library/AddressBook/AddressBook.sqlitedb";

/**
 * `backup:DIR` for contacts: the AddressBook.sqlitedb inside an unencrypted iOS backup folder
 * (Finder/iTunes/idevicebackup2 layout), read-only. Each call extracts the database (and its
 * -wal when the backup has one) into a temp home and reads it with the ios: endpoint, so ids
 * (ABPerson ROWIDs), tokens (ModificationDate) and contacts are exactly what ios: gives.
 */
export class ContactsBackupEndpoint implements Endpoint {
  readonly domain = "contacts";
  readonly readOnly = true;
  readonly uri: string;
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    this.uri = `backup:${this.dir}`;
  }

  /**
   * Always enabled, even when iCloud syncs Contacts on the backed-up device: the guard keeps two
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
    return `${this.uri} ${DOMAIN}/${ADDRESS_BOOK}`;
  }

  /** Extracts the AddressBook and hands an ios: endpoint over the temp home to `use`. */
  private withDevice<T>(use: (device: ContactsIosEndpoint, extracted: string) => Promise<T>): Promise<T> {
    const files = [
      { domain: DOMAIN, relativePath: ADDRESS_BOOK },
      { domain: DOMAIN, relativePath: `${ADDRESS_BOOK}-wal`, optional: true },
    ];
    return withExtractedHome(this.dir, files, async (home) => {
      const extracted = resolve(home, ...ADDRESS_BOOK.split("/"));
      try {
        return await use(new ContactsIosEndpoint(home), extracted);
      } catch (error) {
        if (error instanceof AddressBookError)
          throw new BackupError(
            `${this.describe()}: ${error.message.replace(`AddressBook ${extracted}: `, "")}.`,
            { dir: this.dir, domain: DOMAIN, relativePath: ADDRESS_BOOK },
          );
        throw error;
      }
    });
  }
}
