import { execFileSync } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { namedBits, objectIdentifier, time, tlv, unsignedInteger } from "../../../src/device/pairing/der.js";
import { generatePairRecord, generateRsaKey } from "../../../src/device/pairing/pair-record.js";
import { buildCertificate, pem } from "../../../src/device/pairing/x509.js";
import { withPeer } from "../../interop/peer.js";

/** Reads one DER TLV back (definite lengths only), to check the encoder independently. */
function readTlv(der: Buffer): { tag: number; content: Buffer; rest: Buffer } {
  const tag = der[0] as number;
  let length = der[1] as number;
  let offset = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = der.readUIntBE(2, count);
    offset = 2 + count;
  }
  return { tag, content: der.subarray(offset, offset + length), rest: der.subarray(offset + length) };
}

describe("DER encoder", () => {
  it("encodes non-negative integers minimally, with a leading 0 where the top bit is set", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 200n }), (n) => {
        const hex = n.toString(16);
        const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
        const { tag, content, rest } = readTlv(unsignedInteger(Buffer.concat([Buffer.alloc(3), bytes])));
        expect(tag).toBe(0x02);
        expect(rest.length).toBe(0);
        expect(BigInt(`0x${content.toString("hex")}`)).toBe(n);
        expect((content[0] as number) & 0x80).toBe(0);
        if (content.length > 1) expect(content[0] === 0 && ((content[1] as number) & 0x80) === 0).toBe(false);
      }),
    );
  });

  it("writes short and long lengths that read back", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70_000 }), (size) => {
        const { content, rest } = readTlv(tlv(0x04, Buffer.alloc(size, 7)));
        expect(content.length).toBe(size);
        expect(rest.length).toBe(0);
      }),
    );
  });

  it("matches known encodings: an OID, a KeyUsage bit string, UTCTime and GeneralizedTime", () => {
    expect(objectIdentifier("1.2.840.113549.1.1.11").toString("hex")).toBe("06092a864886f70d01010b");
    expect(namedBits([0, 2]).toString("hex")).toBe("030205a0");
    expect(time(new Date("2026-12-04T16:00:00Z")).toString("latin1")).toBe("\x17\x0d261204160000Z");
    expect(time(new Date("2051-01-02T03:04:05Z")).toString("latin1")).toBe("\x18\x0f20510102030405Z");
  });
});

describe("X.509 certificates for pairing", () => {
  const root = generateRsaKey();
  const leaf = generateRsaKey();
  // Named here so that openssl can tell leaf from root; pairing leaves names empty, as libimobiledevice does.
  const rootCert = new X509Certificate(
    buildCertificate({
      publicKey: root.publicKey,
      signingKey: root.privateKey,
      ca: true,
      subjectName: "Root",
      issuerName: "Root",
    }),
  );
  const leafDer = buildCertificate({
    publicKey: leaf.publicKey,
    signingKey: root.privateKey,
    ca: false,
    subjectName: "Leaf",
    issuerName: "Root",
  });
  const leafCert = new X509Certificate(leafDer);

  it("node:crypto parses them: a CA root, a leaf it signed that certifies the leaf key", () => {
    expect(rootCert.ca).toBe(true);
    expect(leafCert.ca).toBe(false);
    expect(rootCert.verify(root.publicKey)).toBe(true);
    expect(leafCert.verify(root.publicKey)).toBe(true);
    expect(leafCert.verify(leaf.publicKey)).toBe(false);
    expect(leafCert.publicKey.export({ type: "spki", format: "der" })).toEqual(
      leaf.publicKey.export({ type: "spki", format: "der" }),
    );
    const days = (Date.parse(leafCert.validTo) - Date.parse(leafCert.validFrom)) / 86_400_000;
    expect(days).toBeGreaterThan(3649);
    expect(leafCert.checkPrivateKey(leaf.privateKey)).toBe(true);
  });

  withPeer("openssl", "openssl")(
    "openssl reads them as v3 with the extensions, and verifies the chain",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "cradle-x509-"));
      writeFileSync(join(dir, "root.pem"), rootCert.toString());
      writeFileSync(join(dir, "leaf.pem"), pem(leafDer));
      const text = execFileSync("openssl", ["x509", "-in", join(dir, "leaf.pem"), "-noout", "-text"], {
        encoding: "utf8",
      });
      expect(text).toContain("Version: 3 (0x2)");
      expect(text).toContain("sha256WithRSAEncryption");
      expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
      expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment/);
      expect(text).toContain("X509v3 Subject Key Identifier");
      expect(text).toMatch(/Issuer: CN ?= ?Root/);
      const verified = execFileSync(
        "openssl",
        ["verify", "-CAfile", join(dir, "root.pem"), join(dir, "leaf.pem")],
        { encoding: "utf8" },
      );
      expect(verified).toContain("OK");
    },
  );

  it("a pair record issues the device certificate for the device's PKCS#1 public key", () => {
    const device = generateRsaKey();
    const devicePem = device.publicKey.export({ type: "pkcs1", format: "pem" });
    const record = generatePairRecord(Buffer.from(devicePem), "BUID-1");
    const deviceCert = new X509Certificate(record.DeviceCertificate);
    expect(deviceCert.verify(new X509Certificate(record.RootCertificate).publicKey)).toBe(true);
    expect(deviceCert.publicKey.export({ type: "pkcs1", format: "pem" })).toBe(devicePem);
    // Private keys are PKCS#1 PEM, as libimobiledevice stores them.
    expect(record.HostPrivateKey.toString()).toContain("BEGIN RSA PRIVATE KEY");
    const hostKey = createPrivateKey(record.HostPrivateKey);
    expect(new X509Certificate(record.HostCertificate).checkPrivateKey(hostKey)).toBe(true);
    expect(record.HostID).toMatch(/^[0-9A-F-]{36}$/);
    expect(() => generatePairRecord(Buffer.from("not a key"), "BUID-1")).toThrow(/DevicePublicKey/);
  });
});
