/**
 * The root of Cradle's errors. Each subclass has a stable `code` (its name), a `data` object with
 * the facts in its message, and a message that is a full sentence saying what to do next.
 * The CLI maps `exitCode` to the process exit status.
 */
export class CradleError extends Error {
  readonly code: string;
  readonly exitCode: number = 1;
  constructor(
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.code = new.target.name;
    this.name = new.target.name;
  }
}

/** The command line was wrong: exit 2. */
export class UsageError extends CradleError {
  override readonly exitCode = 2;
}
