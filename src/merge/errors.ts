import { CradleError } from "../core/errors.js";

/** Refused for safety: exit 4. A side emptied, or would lose more than half of its records. */
export class SafetyRefusal extends CradleError {
  override readonly exitCode = 4;
}

/** The iCloud guard disabled every requested domain: exit 3. */
export class GuardedError extends CradleError {
  override readonly exitCode = 3;
}

/** A sync request that cannot work as given (fewer than two endpoints, all read-only...). */
export class SyncSetupError extends CradleError {
  override readonly exitCode = 2;
}
