import { canonicalFieldsJson, type Fields } from "../core/fields.js";
import { hashOfJson } from "./hash.js";

/**
 * A record's content, held as the UTF-8 bytes of its canonical JSON plus its hash, rather than
 * as an object graph. A first sync of 10,000 contacts keeps every record until it is written;
 * as bytes outside the JS heap they take a fraction of the memory, and the JSON is what the state
 * stores anyway. fields() parses on demand, right before a merge or a write.
 */
export class RecordValue {
  private constructor(
    readonly bytes: Buffer,
    readonly hash: string,
  ) {}

  static of(fields: Fields): RecordValue {
    return RecordValue.fromJson(canonicalFieldsJson(fields));
  }

  static fromJson(json: string): RecordValue {
    const bytes = Buffer.from(json, "utf8");
    return new RecordValue(bytes, hashOfJson(bytes));
  }

  fields(): Fields {
    return JSON.parse(this.bytes.toString("utf8")) as Fields;
  }
}
