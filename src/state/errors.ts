import { CradleError } from "../core/errors.js";

export class StateLockedError extends CradleError {
  constructor(stateFile: string, pid: number) {
    super(
      `Another Cradle run (pid ${pid || "unknown"}) is using ${stateFile}. Wait for it to finish, or remove ${stateFile}.lock if no such run exists.`,
      { stateFile, pid },
    );
  }
}

export class StateCorruptError extends CradleError {
  constructor(stateFile: string, cause: string) {
    super(
      `The state database ${stateFile} cannot be read (${cause}). Move it aside and sync again: the first sync matches records and duplicates nothing.`,
      {
        stateFile,
        cause,
      },
    );
  }
}
