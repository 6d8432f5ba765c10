/**
 * AES key wrap (RFC 3394), which protects every key in an encrypted backup: class keys under the
 * password key, the Manifest.db key and each file's key under a class key. Node's OpenSSL has it
 * as "id-aes256-wrap" with the RFC's default IV; a wrong key fails its integrity check.
 */
import { createCipheriv, createDecipheriv } from "node:crypto";

const DEFAULT_IV = Buffer.from("a6a6a6a6a6a6a6a6", "hex");

export function wrapKey(kek: Uint8Array, key: Uint8Array): Buffer {
  const cipher = createCipheriv("id-aes256-wrap", kek, DEFAULT_IV);
  return Buffer.concat([cipher.update(key), cipher.final()]);
}

/** The unwrapped key, or undefined when the check fails (wrong key-encryption key or damaged data). */
export function unwrapKey(kek: Uint8Array, wrapped: Uint8Array): Buffer | undefined {
  if (kek.length !== 32 || wrapped.length < 24 || wrapped.length % 8 !== 0) return undefined;
  try {
    const decipher = createDecipheriv("id-aes256-wrap", kek, DEFAULT_IV);
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    return undefined;
  }
}
