/** Where each store lives in an iOS home tree laid out like /var/mobile (the ios:DIR layout). */
import { join } from "node:path";

export const DEVICE_PATHS = {
  addressBook: "Library/AddressBook/AddressBook.sqlitedb",
  accounts: "Library/Accounts/Accounts3.sqlite",
  calendar: "Library/Calendar/Calendar.sqlitedb",
  photos: "Media/PhotoData/Photos.sqlite",
  messages: "Library/SMS/sms.db",
  /**
   * On a device lockdownd keeps these values outside /var/mobile (in /var/root/Library/Lockdown);
   * the virtual iPhone keeps them inside its home so that one folder is the whole device.
   */
  lockdownValues: "Library/Lockdown/values.plist",
} as const;

export type DeviceStore = keyof typeof DEVICE_PATHS;

export function devicePath(dir: string, store: DeviceStore): string {
  return join(dir, ...DEVICE_PATHS[store].split("/"));
}
