import { CradleError } from "../../core/errors.js";

/** The repository's files cannot be read as Cradle wrote them. */
export class RepositoryCorruptError extends CradleError {}

/** The repository is encrypted and the password does not open it. */
export class WrongPasswordError extends CradleError {}

/** The repository is encrypted and no password was given. */
export class PasswordRequiredError extends CradleError {}

/** No repository where one was expected. */
export class RepositoryMissingError extends CradleError {}

/** A snapshot name (id, prefix or "latest") that names no snapshot, or more than one. */
export class SnapshotNotFoundError extends CradleError {}

/** The disk filled up; what was committed before is intact. */
export class RepositoryFullError extends CradleError {}
