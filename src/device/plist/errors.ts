import { CradleError } from "../../core/errors.js";

/** A property list (a file, or a message from a device) that cannot be read or written. */
export class MalformedPlistError extends CradleError {}
