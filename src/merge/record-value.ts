import { canonicalFieldsJson, type Fields } from "../core/fields.js";
import { hashOfJson } from "./hash.js";

/**
 * A record's content, held as its canonical JSON and hash rather than as an object graph.
 * A sync of 10,000 contacts keeps every changed record until it is written; as one string each
 * they take a fraction of the memory, and the JSON is what the state stores anyway. fields()
 * parses on demand, right before a merge or a write.
 */
export class RecordValue {
  private constructor(
    readonly json: string,
    readonly hash: string,
  ) {}

  static of(fields: Fields): RecordValue {
    const json = canonicalFieldsJson(fields);
    return new RecordValue(json, hashOfJson(json));
  }

  static fromJson(json: string): RecordValue {
    return new RecordValue(json, hashOfJson(json));
  }

  fields(): Fields {
    return JSON.parse(this.json) as Fields;
  }
}
