/**
 * The virtual device's lockdownd: one connection's requests, answered as the Debian tools
 * (libimobiledevice 1.3.0) expect. Pairing is accepted without a trust dialog; the device keeps
 * each host it trusts by HostID. StartSession turns TLS on over the same socket, with the device
 * certificate that host issued; StopSession turns it off again. SetValue changes what a phone
 * lets a host change (its name). StartService opens a one-shot port for a registered service and
 * answers InvalidService for any other name.
 */
import { createPublicKey, type KeyObject, randomBytes, randomUUID, X509Certificate } from "node:crypto";
import type { DeviceConnection } from "../connection.js";
import { isRecordId, type PairRecordStore } from "../pairing/record-store.js";
import { buildXmlPlist, parsePlist } from "../plist/index.js";
import { type PlistValue, readPlistDict, writePlistMessage } from "../plist-service.js";
import type { VirtualService } from "../service.js";
import { overTls, skipTlsRecords, startTls, type TlsCredentials, type TlsSession } from "../tls-session.js";
import { LOCKDOWN_TYPE } from "./client.js";

type Dict = Record<string, PlistValue>;

export interface LockdownDevice {
  /** GetValue; undefined answers MissingValue. */
  getValue(domain: string | undefined, key: string | undefined): PlistValue | undefined;
  /** SetValue; false answers SetProhibited. */
  setValue(domain: string | undefined, key: string, value: PlistValue): Promise<boolean>;
  devicePrivateKey: KeyObject;
  /** The hosts this device trusts, by HostID. */
  hosts: PairRecordStore;
  services: VirtualService[];
  /** Opens a one-shot port on which `service` is served (TLS with `credentials` when it asks). */
  openServicePort(service: VirtualService, credentials: TlsCredentials): number;
}

interface HostRecord {
  HostID: string;
  DeviceCertificate: Uint8Array;
  RootCertificate: Uint8Array;
}

export async function serveLockdown(plain: DeviceConnection, device: LockdownDevice): Promise<void> {
  let connection = plain;
  let session: { host: HostRecord; tls: TlsSession } | undefined;
  const ownKey = device.devicePrivateKey;
  for (;;) {
    if (!session) await skipTlsRecords(connection);
    const request = await readPlistDict(connection.reader);
    if (!request) return;
    const name = typeof request.Request === "string" ? request.Request : undefined;
    const reply = (fields: Dict) =>
      writePlistMessage(connection.stream, { ...(name ? { Request: name } : {}), ...fields });
    const fail = (error: string) => reply({ Error: error });
    switch (name) {
      case "QueryType":
        await reply({ Type: LOCKDOWN_TYPE });
        break;
      case "GetValue": {
        const domain = stringOrUndefined(request.Domain);
        const key = stringOrUndefined(request.Key);
        const value = device.getValue(domain, key);
        if (value === undefined) await fail("MissingValue");
        else
          await reply({ ...(domain ? { Domain: domain } : {}), ...(key ? { Key: key } : {}), Value: value });
        break;
      }
      case "SetValue": {
        if (!session) await fail("SessionInactive");
        else if (typeof request.Key !== "string" || request.Value === undefined) await fail("MissingValue");
        else if (!(await device.setValue(stringOrUndefined(request.Domain), request.Key, request.Value)))
          await fail("SetProhibited");
        else await reply({});
        break;
      }
      case "Pair": {
        const error = checkPairRecord(request.PairRecord, ownKey);
        if (error) {
          await fail(error);
          break;
        }
        const record = request.PairRecord as Dict;
        const escrowBag = randomBytes(32);
        await device.hosts.write(
          String(record.HostID),
          Buffer.from(buildXmlPlist({ ...record, EscrowBag: escrowBag })),
        );
        await reply({ EscrowBag: escrowBag });
        break;
      }
      case "ValidatePair":
        if (await knownHost(device.hosts, hostIdOf(request.PairRecord))) await reply({});
        else await fail("InvalidHostID");
        break;
      case "Unpair": {
        const host = await knownHost(device.hosts, hostIdOf(request.PairRecord));
        if (!host) {
          await fail("InvalidHostID");
          break;
        }
        await device.hosts.delete(host.HostID);
        await reply({});
        break;
      }
      case "StartSession": {
        const host = await knownHost(device.hosts, request.HostID);
        if (!host) {
          await fail("InvalidHostID");
          break;
        }
        const id = randomUUID().toUpperCase();
        await reply({ SessionID: id, EnableSessionSSL: true });
        const tls = await startTls(connection, "server", credentialsFor(host, ownKey));
        session = { host, tls };
        connection = overTls(tls, connection);
        break;
      }
      case "StopSession":
        if (!session) {
          await fail("SessionInactive");
          break;
        }
        await reply({});
        connection = await session.tls.stop();
        session = undefined;
        break;
      case "StartService": {
        if (!session) {
          await fail("SessionInactive");
          break;
        }
        const service = device.services.find((s) => s.name === request.Service);
        if (!service) {
          await fail("InvalidService");
          break;
        }
        const port = device.openServicePort(service, credentialsFor(session.host, ownKey));
        await reply({
          Service: service.name,
          Port: port,
          ...(service.ssl ? { EnableServiceSSL: true } : {}),
        });
        break;
      }
      case "Goodbye":
        await reply({ Result: "Success" });
        return;
      default:
        await fail("InvalidRequest");
    }
  }
}

function credentialsFor(host: HostRecord, key: KeyObject): TlsCredentials {
  return {
    cert: Buffer.from(host.DeviceCertificate),
    key: key.export({ type: "pkcs1", format: "pem" }),
  };
}

/** Why a Pair request's record is refused, or undefined when it is good. */
function checkPairRecord(value: PlistValue | undefined, ownKey: KeyObject): string | undefined {
  const record = (value ?? {}) as Dict;
  const certificates = ["DeviceCertificate", "HostCertificate", "RootCertificate"] as const;
  if (
    typeof record.HostID !== "string" ||
    !isRecordId(record.HostID) ||
    certificates.some((c) => !(record[c] instanceof Uint8Array))
  )
    return "InvalidPairRecord";
  try {
    const deviceCertificate = new X509Certificate(Buffer.from(record.DeviceCertificate as Uint8Array));
    const root = new X509Certificate(Buffer.from(record.RootCertificate as Uint8Array));
    const ours = createPublicKey(ownKey).export({ type: "spki", format: "der" });
    const certified = deviceCertificate.publicKey.export({ type: "spki", format: "der" });
    if (!ours.equals(certified) || !deviceCertificate.verify(root.publicKey)) return "InvalidPairRecord";
  } catch {
    return "InvalidPairRecord";
  }
  return undefined;
}

const stringOrUndefined = (value: PlistValue | undefined) => (typeof value === "string" ? value : undefined);

const hostIdOf = (record: PlistValue | undefined) => ((record ?? {}) as Dict).HostID;

async function knownHost(
  hosts: PairRecordStore,
  hostId: PlistValue | undefined,
): Promise<HostRecord | undefined> {
  if (typeof hostId !== "string" || !isRecordId(hostId)) return undefined;
  const bytes = await hosts.read(hostId);
  return bytes ? (parsePlist(bytes, "a stored pair record") as unknown as HostRecord) : undefined;
}
