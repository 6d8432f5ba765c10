/**
 * A lockdownd client (device port 62078), speaking as libimobiledevice 1.3.0 does
 * (src/lockdown.c): XML plist requests carrying Label and Request; a reply must echo Request and
 * succeeds when it has Result "Success" or neither Result nor Error.
 */
import type { DeviceConnection } from "../connection.js";
import { DeviceProtocolError, LockdownError } from "../errors.js";
import { type PairRecord, pairRequestRecord } from "../pairing/pair-record.js";
import {
  PLIST_REPLY_TIMEOUT_MS,
  type PlistValue,
  readPlistDict,
  writePlistMessage,
} from "../plist-service.js";
import { overTls, skipTlsRecords, startTls, type TlsSession } from "../tls-session.js";

export const LOCKDOWN_PORT = 62078;
export const LOCKDOWN_TYPE = "com.apple.mobile.lockdown";

/** What to do about the errors a person can act on. */
const ADVICE: Record<string, string> = {
  PasswordProtected: "Unlock the device and try again.",
  PairingDialogResponsePending: 'Tap "Trust" on the device, then run the command again.',
  UserDeniedPairing: "The device's owner tapped \"Don't Trust\". Unplug and replug it to be asked again.",
  InvalidHostID: 'The device does not know this computer (any more). Pair again with "cradle pair".',
  InvalidService: "The device offers no such service.",
  SessionInactive: "Start a session first.",
};

type Dict = Record<string, PlistValue>;

export interface StartedService {
  port: number;
  ssl: boolean;
}

export class LockdownClient {
  private tlsSession: TlsSession | undefined;
  private sessionId: string | undefined;

  constructor(
    private connection: DeviceConnection,
    private readonly label = "cradle",
  ) {}

  get inSession(): boolean {
    return this.sessionId !== undefined;
  }

  async queryType(): Promise<string> {
    const reply = await this.request("QueryType");
    return String(reply.Type);
  }

  /** A value (the whole domain when key is omitted); undefined when the device has none. */
  async getValue(domain?: string, key?: string): Promise<PlistValue | undefined> {
    try {
      const reply = await this.request("GetValue", {
        ...(domain ? { Domain: domain } : {}),
        ...(key ? { Key: key } : {}),
      });
      return reply.Value;
    } catch (error) {
      if (error instanceof LockdownError && error.lockdownError === "MissingValue") return undefined;
      throw error;
    }
  }

  async setValue(domain: string | undefined, key: string, value: PlistValue): Promise<void> {
    await this.request("SetValue", { ...(domain ? { Domain: domain } : {}), Key: key, Value: value });
  }

  /** Asks the device to trust this host; returns the EscrowBag it hands back. */
  async pair(record: PairRecord): Promise<Buffer | undefined> {
    const reply = await this.request("Pair", {
      PairRecord: pairRequestRecord(record),
      ProtocolVersion: "2",
      PairingOptions: { ExtendedPairingErrors: true },
    });
    return reply.EscrowBag instanceof Uint8Array ? Buffer.from(reply.EscrowBag) : undefined;
  }

  async validatePair(record: PairRecord): Promise<void> {
    await this.request("ValidatePair", { PairRecord: pairRequestRecord(record), ProtocolVersion: "2" });
  }

  async unpair(record: PairRecord): Promise<void> {
    await this.request("Unpair", { PairRecord: pairRequestRecord(record), ProtocolVersion: "2" });
  }

  /** Starts a session as the record's host and, when the device asks, TLS on this connection. */
  async startSession(record: PairRecord): Promise<void> {
    const reply = await this.request("StartSession", {
      HostID: record.HostID,
      SystemBUID: record.SystemBUID,
    });
    this.sessionId = String(reply.SessionID ?? "");
    if (reply.EnableSessionSSL === true) {
      const session = await startTls(this.connection, "client", {
        cert: record.HostCertificate,
        key: record.HostPrivateKey,
      });
      this.tlsSession = session;
      this.connection = overTls(session, this.connection);
    }
  }

  /** Ends the session; the connection carries plaintext again. */
  async stopSession(): Promise<void> {
    if (this.sessionId === undefined) return;
    await this.request("StopSession", { SessionID: this.sessionId });
    this.sessionId = undefined;
    if (this.tlsSession) {
      this.connection = await this.tlsSession.stop({ sendCloseNotify: true });
      this.tlsSession = undefined;
    }
  }

  async startService(name: string, { escrowBag }: { escrowBag?: Uint8Array } = {}): Promise<StartedService> {
    const reply = await this.request("StartService", {
      Service: name,
      ...(escrowBag ? { EscrowBag: Buffer.from(escrowBag) } : {}),
    });
    if (typeof reply.Port !== "number")
      throw new DeviceProtocolError(`lockdownd started ${name} without saying on which port.`, {
        service: name,
      });
    return { port: reply.Port, ssl: reply.EnableServiceSSL === true };
  }

  close(): void {
    this.connection.stream.destroy();
  }

  private async request(request: string, fields: Dict = {}): Promise<Dict> {
    await writePlistMessage(this.connection.stream, { Label: this.label, Request: request, ...fields });
    // A device that left TLS may have sent its close_notify; it precedes the plaintext reply.
    if (!this.tlsSession) await skipTlsRecords(this.connection);
    const reply = await readPlistDict(this.connection.reader, { timeoutMs: PLIST_REPLY_TIMEOUT_MS });
    if (!reply)
      throw new DeviceProtocolError(`lockdownd closed the connection without answering ${request}.`, {
        request,
      });
    if (reply.Request !== request)
      throw new DeviceProtocolError(
        `lockdownd answered ${request} with a reply to ${String(reply.Request)}.`,
        {
          request,
          reply: reply.Request,
        },
      );
    const error =
      typeof reply.Error === "string"
        ? reply.Error
        : reply.Result !== undefined && reply.Result !== "Success"
          ? String(reply.Result)
          : undefined;
    if (error !== undefined)
      throw new LockdownError(
        request,
        error,
        `lockdownd refused ${request}: ${error}. ${ADVICE[error] ?? ""}`.trim(),
      );
    return reply;
  }
}
