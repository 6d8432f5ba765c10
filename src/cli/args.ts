import { UsageError } from "../core/errors.js";

/** Runs node:util parseArgs (or any argument check) and turns its complaints into usage errors (exit 2). */
export function asUsage<T>(parseArguments: () => T): T {
  try {
    return parseArguments();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
