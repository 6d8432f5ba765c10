import { CradleError } from "../../../core/errors.js";

/** An albums: folder that cannot be used as given. */
export class PhotosDirError extends CradleError {}
