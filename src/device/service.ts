/**
 * The contract between the virtual device's lockdownd and the services it starts
 * (notification_proxy, AFC, mobilebackup2...). lockdownd owns ports, TLS and pairing; a service
 * handler only speaks its protocol over the connection it is given.
 */
import type { Duplex } from "node:stream";

/** What a service handler on the virtual device knows about the device it serves. */
export interface VirtualDeviceContext {
  /** The device's home tree (the ios:DIR layout). */
  home: string;
  udid: string;
  /** The lockdown values (GetValue with no domain). */
  values: Record<string, unknown>;
  /** Shared by every connection to this device: the sync lock and what hosts did. */
  sync?: DeviceSyncState;
}

/** The device-wide side of syncing: who holds the AFC sync lock, and a journal for tests. */
export interface DeviceSyncState {
  /** The connection holding the lock on /com.apple.itunes.lock_sync, if any. */
  lockHolder?: object;
  /** "post NAME", "lock PATH", "unlock PATH", in order. */
  journal: string[];
}

/** Serves one connection to a lockdown service (already TLS-wrapped when the service asked for SSL). */
export type ServiceHandler = (connection: Duplex, context: VirtualDeviceContext) => Promise<void>;

/** A service the virtual lockdownd can start: its handler, and whether the connection is TLS. */
export interface VirtualService {
  /** "com.apple.mobilebackup2"... */
  name: string;
  ssl: boolean;
  handler: ServiceHandler;
}
