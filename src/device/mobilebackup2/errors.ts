import { CradleError } from "../../core/errors.js";

/**
 * A mobilebackup2 operation failed: the device answered with an error code, stopped before the
 * backup was finished, or asked for something outside the backup folder. Nothing was committed.
 */
export class MobileBackup2Error extends CradleError {}
