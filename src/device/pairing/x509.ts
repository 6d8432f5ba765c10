/**
 * X.509 v3 certificates for pairing (RFC 5280), written with the small DER encoder beside this
 * file and signed by node:crypto. The shape follows libimobiledevice 1.3.0 common/userpref.c
 * (empty subject and issuer names, basicConstraints and keyUsage critical, ten years' validity),
 * but signs with SHA-256 rather than SHA-1: OpenSSL 3 at Debian's default security level refuses
 * to serve a SHA-1-signed certificate, and pymobiledevice3 signs with SHA-256 too.
 */
import { createHash, type KeyObject, randomBytes, sign } from "node:crypto";
import {
  bitString,
  boolean,
  type Der,
  explicit,
  namedBits,
  nullValue,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from "./der.js";

const OID = {
  sha256WithRsa: "1.2.840.113549.1.1.11",
  commonName: "2.5.4.3",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  subjectKeyIdentifier: "2.5.29.14",
} as const;

/** KeyUsage bit numbers (RFC 5280 §4.2.1.3). */
const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export interface CertificateSpec {
  /** The key the certificate certifies. */
  publicKey: KeyObject;
  /** The issuer's private key (the subject's own for a self-signed root). */
  signingKey: KeyObject;
  /** A CA certificate (the pairing root) may sign others. */
  ca: boolean;
  /** Empty by default, as libimobiledevice leaves them. */
  subjectName?: string;
  issuerName?: string;
  notBefore?: Date;
  notAfter?: Date;
}

/** The certificate in DER. */
export function buildCertificate(spec: CertificateSpec): Buffer {
  const notBefore = spec.notBefore ?? new Date();
  const notAfter = spec.notAfter ?? new Date(notBefore.getTime() + TEN_YEARS_MS);
  const spki = spec.publicKey.export({ type: "spki", format: "der" });
  const algorithm = sequence(objectIdentifier(OID.sha256WithRsa), nullValue());
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(randomSerial()),
    algorithm,
    name(spec.issuerName),
    sequence(time(notBefore), time(notAfter)),
    name(spec.subjectName),
    spki,
    explicit(3, sequence(...extensions(spec.ca, spki))),
  );
  const signature = sign("sha256", tbs, spec.signingKey);
  return sequence(tbs, algorithm, bitString(signature));
}

export function pem(der: Uint8Array, label = "CERTIFICATE"): string {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** A positive 64-bit serial; RFC 5280 asks for unique ones, which random bits give. */
function randomSerial(): Buffer {
  const bytes = randomBytes(8);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x01;
  return bytes;
}

function name(commonName: string | undefined): Der {
  if (commonName === undefined) return sequence();
  return sequence(set(sequence(objectIdentifier(OID.commonName), utf8String(commonName))));
}

function extension(oid: string, critical: boolean, value: Der): Der {
  return critical
    ? sequence(objectIdentifier(oid), boolean(true), octetString(value))
    : sequence(objectIdentifier(oid), octetString(value));
}

function extensions(ca: boolean, spki: Buffer): Der[] {
  const usage = ca
    ? [KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]
    : [KEY_USAGE.digitalSignature, KEY_USAGE.keyEncipherment];
  return [
    // cA defaults to FALSE, and DER omits defaults: an end entity has an empty sequence.
    extension(OID.basicConstraints, true, ca ? sequence(boolean(true)) : sequence()),
    extension(OID.keyUsage, true, namedBits(usage)),
    extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(spki))),
  ];
}

/** RFC 5280 §4.2.1.2 method 1 would hash only the key's bits; hashing the whole SPKI is also allowed (any unique value) and simpler. */
function keyIdentifier(spki: Buffer): Buffer {
  return createHash("sha1").update(spki).digest();
}
