import { expect, it } from "vitest";
import * as cradle from "../src/index.js";

// Growing the public API is a decision: this list changes only on purpose.
it("exports exactly the public API", () => {
  expect(Object.keys(cradle).sort()).toEqual([
    "CradleError",
    "DeviceConnectionError",
    "DeviceProtocolError",
    "DeviceSession",
    "GuardedError",
    "LockdownError",
    "PairingError",
    "SafetyRefusal",
    "SyncSetupError",
    "SyncState",
    "UsageError",
    "listAttachedDevices",
    "listConflicts",
    "liveDeviceInfo",
    "pairDevice",
    "readLiveCloudState",
    "serveVirtualDevice",
    "showEndpoint",
    "sync",
    "syncEndpoints",
  ]);
});
