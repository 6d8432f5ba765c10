import { expect, it } from "vitest";
import * as cradle from "../src/index.js";

// Growing the public API is a decision: this list changes only on purpose.
it("exports exactly the public API", () => {
  expect(Object.keys(cradle).sort()).toEqual([
    "CradleError",
    "GuardedError",
    "SafetyRefusal",
    "SyncSetupError",
    "SyncState",
    "UsageError",
    "listConflicts",
    "showEndpoint",
    "sync",
    "syncEndpoints",
  ]);
});
