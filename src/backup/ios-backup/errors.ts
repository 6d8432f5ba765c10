import { BackupError } from "../../adapters/backup-folder/errors.js";

/** An export cannot go where it was asked to: the folder holds something that is not a backup. */
export class BackupTargetError extends BackupError {}

/** The entries given to an export are not a valid backup: a path twice, an unknown kind. */
export class BackupEntryError extends BackupError {}
