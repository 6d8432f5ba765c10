import { deflateJson, inflateJson } from "../core/deflated-json.js";
import { canonicalFieldsJson, type Fields } from "../core/fields.js";
import { hashOfJson } from "./hash.js";

/**
 * A record's content, held as its canonical JSON deflated, plus the hash of that JSON, rather
 * than as an object graph. A first sync of 20,000 events keeps every record until it is written:
 * deflated, outside the JS heap, they take a fraction of the memory, and deflated JSON is what
 * the state stores anyway. fields() inflates and parses on demand, right before a merge or a write.
 */
export class RecordValue {
  private constructor(
    /** The canonical JSON, deflated (raw DEFLATE), as the state stores bases. */
    readonly deflated: Buffer,
    readonly hash: string,
  ) {}

  static of(fields: Fields): RecordValue {
    return RecordValue.fromJson(canonicalFieldsJson(fields));
  }

  static fromJson(json: string): RecordValue {
    return new RecordValue(deflateJson(json), hashOfJson(json));
  }

  fields(): Fields {
    return JSON.parse(inflateJson(this.deflated)) as Fields;
  }
}
