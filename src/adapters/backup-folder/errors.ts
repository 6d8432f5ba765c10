import { CradleError } from "../../core/errors.js";

/** A backup folder that cannot be read as given: missing files, a hostile manifest, a bad plist. */
export class BackupError extends CradleError {}

/** The backup is encrypted; reading those needs the password and comes with the backup work. */
export class EncryptedBackupError extends BackupError {}
