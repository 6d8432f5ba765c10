import { CradleError } from "../../core/errors.js";

/** Extraction cannot run: the device data is not there, or the output folder is not free. */
export class ExtractError extends CradleError {}
