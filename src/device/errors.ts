/**
 * Errors of the device link (usbmuxd, lockdown, pairing). Each names the peer, the step and the
 * record involved; none ever carries a pair record or a key.
 */
import { CradleError } from "../core/errors.js";

/** usbmuxd is not running, or a device or service could not be reached. */
export class DeviceConnectionError extends CradleError {}

/** A peer sent bytes that break the protocol: a truncated or oversized frame, an unexpected message. */
export class DeviceProtocolError extends CradleError {}

/** lockdownd answered a request with an error (InvalidHostID, PasswordProtected, InvalidService...). */
export class LockdownError extends CradleError {
  constructor(
    readonly request: string,
    readonly lockdownError: string,
    message: string,
  ) {
    super(message, { request, error: lockdownError });
  }
}

/** The device is not paired with this computer, or its pair record is unusable. */
export class PairingError extends CradleError {}
