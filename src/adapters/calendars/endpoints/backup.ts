import { BackupStoreEndpoint } from "../../backup-folder/store-endpoint.js";
import { CalendarDbError } from "../ios/schema.js";
import { CalendarsIosEndpoint } from "./ios.js";

/** `backup:DIR` for calendars: the Calendar.sqlitedb inside an iOS backup folder, read-only. */
export class CalendarsBackupEndpoint extends BackupStoreEndpoint {
  constructor(dir: string) {
    super(dir, {
      domain: "calendars",
      relativePath: "Library/Calendar/Calendar.sqlitedb",
      open: (home) => new CalendarsIosEndpoint(home),
      problem: (error, extracted) =>
        error instanceof CalendarDbError ? error.message.replace(`Calendar ${extracted}: `, "") : undefined,
    });
  }
}
