import { BackupStoreEndpoint } from "../../backup-folder/store-endpoint.js";
import { AddressBookError } from "../ios/schema.js";
import { ContactsIosEndpoint } from "./ios.js";

/** `backup:DIR` for contacts: the AddressBook.sqlitedb inside an iOS backup folder, read-only. */
export class ContactsBackupEndpoint extends BackupStoreEndpoint {
  constructor(dir: string) {
    super(dir, {
      domain: "contacts",
      relativePath: "Library/AddressBook/AddressBook.sqlitedb",
      open: (home) => new ContactsIosEndpoint(home),
      problem: (error, extracted) =>
        error instanceof AddressBookError
          ? error.message.replace(`AddressBook ${extracted}: `, "")
          : undefined,
    });
  }
}
