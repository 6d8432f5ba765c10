/**
 * Cradle's public API. Everything a program may rely on is exported here, and only here.
 *
 * @example
 * import { syncEndpoints } from "cradle";
 * const report = await syncEndpoints({ domain: "contacts", endpoints: ["vdir:./phone", "vdir:./computer"] });
 */
export { listConflicts } from "./api/conflicts.js";
export { type ShowResult, showEndpoint } from "./api/show.js";
export { type SyncEndpointsOptions, type SyncEndpointsResult, syncEndpoints } from "./api/sync.js";
export type {
  Domain,
  Endpoint,
  GuardVerdict,
  Listed,
  ReadResult,
  SyncItem,
  WriteBatch,
  WriteOutcome,
} from "./core/endpoint.js";
export { CradleError, UsageError } from "./core/errors.js";
export type { Fields } from "./core/fields.js";
export { type AttachedDevice, type DevicesReport, listAttachedDevices } from "./device/devices.js";
export { DeviceConnectionError, DeviceProtocolError, LockdownError, PairingError } from "./device/errors.js";
export { type LiveDeviceInfo, liveDeviceInfo } from "./device/live-info.js";
export { type LiveCloudState, readLiveCloudState } from "./device/lockdown/icloud.js";
export { type DeviceOptions, DeviceSession } from "./device/lockdown/session.js";
export { type PairResult, pairDevice } from "./device/pairing/pair.js";
export { type ServeOptions, type ServingDevice, serveVirtualDevice } from "./device/virtual-device/serve.js";
export type { Conflict } from "./merge/conflict.js";
export { GuardedError, SafetyRefusal, SyncSetupError } from "./merge/errors.js";
export { type SyncOptions, type SyncReport, sync } from "./merge/sync.js";
export { SyncState } from "./state/store.js";
