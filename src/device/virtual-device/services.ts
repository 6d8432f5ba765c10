/**
 * The services the virtual device's lockdownd can start (StartService). Each entry speaks one
 * protocol over the connection lockdownd hands it; see src/device/service.ts for the contract.
 */
import type { VirtualService } from "../service.js";
import { afcService } from "../services/afc.js";
import { mobileBackup2Service } from "../services/mobilebackup2.js";
import { notificationProxyService } from "../services/notification-proxy.js";

export const VIRTUAL_SERVICES: VirtualService[] = [
  notificationProxyService,
  afcService,
  mobileBackup2Service,
];
