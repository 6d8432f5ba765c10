import { CradleError } from "../../core/errors.js";

/**
 * The other side of a DeviceLink connection broke the protocol: a truncated or oversized frame, a
 * message that is not a DeviceLink array, an unexpected message, a version we cannot speak.
 */
export class DeviceLinkError extends CradleError {}
