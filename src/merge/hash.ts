import { createHash } from "node:crypto";
import { canonicalJson, type Fields } from "../core/fields.js";

/** Content hash of a record's Fields: equal content, equal hash, whatever the file looked like. */
export function fieldsHash(fields: Fields): string {
  return createHash("sha256").update(canonicalJson(fields)).digest("base64url").slice(0, 32);
}
