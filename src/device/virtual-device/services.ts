/**
 * The services the virtual device's lockdownd can start (StartService). Each entry speaks one
 * protocol over the connection lockdownd hands it; see src/device/service.ts for the contract.
 */
import type { VirtualService } from "../service.js";

export const VIRTUAL_SERVICES: VirtualService[] = [];
