/**
 * TLS on an existing device connection, in either role, that can be left again: lockdownd runs
 * StartSession's TLS on the plaintext socket and, after StopSession, the same socket carries
 * plaintext again. Node's TLSSocket would take over a net.Socket's handle for good, so it runs
 * over a stream view that can be released. Leaving TLS as the server sends no close_notify
 * (libimobiledevice would read it as plaintext); the peer's own is skipped by skipTlsRecords.
 */
import { createSecureContext, TLSSocket, connect as tlsConnect } from "node:tls";
import { ByteReader } from "./byte-reader.js";
import type { DeviceConnection } from "./connection.js";
import { viewOf } from "./stream-view.js";

export interface TlsCredentials {
  /** PEM */
  cert: string | Buffer;
  /** PEM */
  key: string | Buffer;
}

export interface TlsSession {
  tls: TLSSocket;
  /** Leaves TLS; returns the plaintext connection on the same socket. */
  stop(options?: { sendCloseNotify?: boolean }): Promise<DeviceConnection>;
}

export async function startTls(
  plain: DeviceConnection,
  role: "client" | "server",
  credentials: TlsCredentials,
  { ownsSocket = false } = {},
): Promise<TlsSession> {
  const view = viewOf(plain, ownsSocket);
  const tls =
    role === "server"
      ? new TLSSocket(view.stream, {
          isServer: true,
          requestCert: false,
          secureContext: createSecureContext(credentials),
        })
      : tlsConnect({ socket: view.stream, ...credentials, rejectUnauthorized: false });
  await new Promise<void>((resolve, reject) => {
    tls.once(role === "server" ? "secure" : "secureConnect", () => {
      tls.off("error", reject);
      resolve();
    });
    tls.once("error", reject);
  });
  return {
    tls,
    async stop({ sendCloseNotify = false } = {}) {
      view.release();
      if (sendCloseNotify) await new Promise<void>((resolve) => tls.end(resolve));
      tls.destroy();
      return { stream: plain.stream, reader: new ByteReader(plain.stream, plain.peer), peer: plain.peer };
    },
  };
}

/** The session as a device connection, for a layer that goes on reading frames through TLS. */
export function overTls(session: TlsSession, plain: DeviceConnection): DeviceConnection {
  const peer = `${plain.peer} (TLS)`;
  return { stream: session.tls, reader: new ByteReader(session.tls, peer), peer };
}

/** TLS record content types (change_cipher_spec, alert, handshake, application_data). */
const TLS_RECORD_TYPES = new Set([0x14, 0x15, 0x16, 0x17]);

/**
 * Skips whole TLS records at the head of a plaintext connection: what a peer leaving TLS sent
 * (its close_notify). A plaintext plist frame starts with its length's high byte, 0 for any
 * message under 16 MiB, so the two cannot be confused.
 */
export async function skipTlsRecords(connection: DeviceConnection): Promise<void> {
  for (;;) {
    const first = await connection.reader.peek();
    if (first === undefined || !TLS_RECORD_TYPES.has(first)) return;
    const header = await connection.reader.read(5, "a TLS record header");
    await connection.reader.read(header.readUInt16BE(3), "a TLS record");
  }
}
