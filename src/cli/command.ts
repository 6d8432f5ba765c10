import type { Output } from "./output.js";

/** A CLI command: its help text and a run that returns the exit code (0 unless an error is thrown). */
export interface Command {
  usage: string;
  summary: string;
  help: string;
  run(args: string[], out: Output): Promise<number>;
}

export const EXIT_STATUS = `EXIT STATUS
  0  done (conflicts that were resolved automatically are included here)
  1  error
  2  usage
  3  every requested domain was disabled by the iCloud guard
  4  refused for safety (a side emptied or would lose more than half of its records)`;
