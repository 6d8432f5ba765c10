import { sha256 } from "../core/sha256.js";

/** Content hash of a record's canonical JSON: equal content, equal hash, whatever the file looked like. */
export function hashOfJson(json: string | Buffer): string {
  return sha256(json, "base64url").slice(0, 22);
}

/** Match keys (names, phones, emails) are only ever compared: keep a short digest, not the text. */
export function matchDigest(key: string): string {
  return sha256(key, "base64url").slice(0, 16);
}
