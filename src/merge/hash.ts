import { createHash } from "node:crypto";

/** Content hash of a record's canonical JSON: equal content, equal hash, whatever the file looked like. */
export function hashOfJson(json: string | Buffer): string {
  return createHash("sha256").update(json).digest("base64url").slice(0, 22);
}

/** Match keys (names, phones, emails) are only ever compared: keep a short digest, not the text. */
export function matchDigest(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 16);
}
