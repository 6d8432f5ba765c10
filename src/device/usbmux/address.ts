/**
 * Where usbmuxd listens, read as libusbmuxd 2.0.2 reads USBMUXD_SOCKET_ADDRESS
 * (src/libusbmuxd.c connect_usbmuxd_socket): "UNIX:/path" is a Unix socket; "host:port" or
 * "[v6]:port" (port 1..65535 after the last colon) is TCP; anything else is ignored and the default
 * /var/run/usbmuxd is used, as libusbmuxd silently does.
 */
import type { NetConnectOpts } from "node:net";

export const DEFAULT_USBMUXD_SOCKET = "/var/run/usbmuxd";

export type UsbmuxAddress = { kind: "unix"; path: string } | { kind: "tcp"; host: string; port: number };

/** The address a value names, or undefined when libusbmuxd would ignore it. */
export function parseUsbmuxAddress(text: string): UsbmuxAddress | undefined {
  if (text.startsWith("UNIX:")) {
    const path = text.slice(5);
    return path ? { kind: "unix", path } : undefined;
  }
  const colon = text.lastIndexOf(":");
  if (colon <= 0) return undefined;
  const portText = text.slice(colon + 1);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return undefined;
  let host = text.slice(0, colon);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return host ? { kind: "tcp", host, port } : undefined;
}

export function usbmuxAddressFromEnv(env: NodeJS.ProcessEnv = process.env): UsbmuxAddress {
  const fromEnv = env.USBMUXD_SOCKET_ADDRESS ? parseUsbmuxAddress(env.USBMUXD_SOCKET_ADDRESS) : undefined;
  return fromEnv ?? { kind: "unix", path: DEFAULT_USBMUXD_SOCKET };
}

/** As USBMUXD_SOCKET_ADDRESS would spell it. */
export function formatUsbmuxAddress(address: UsbmuxAddress): string {
  if (address.kind === "unix") return `UNIX:${address.path}`;
  return address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

export function netOptions(address: UsbmuxAddress): NetConnectOpts {
  return address.kind === "unix" ? { path: address.path } : { host: address.host, port: address.port };
}
