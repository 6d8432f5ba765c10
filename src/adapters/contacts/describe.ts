import type { SyncItem } from "../../core/endpoint.js";
import { fieldsToContact } from "./fields.js";
import type { VProp } from "./model.js";

/** A contact as `cradle show contacts` prints it. */
export interface ContactSummary {
  uid: string;
  fn: string;
  tel: string[];
  email: string[];
  org?: string;
  note?: string;
}

export function describeContact(item: SyncItem): ContactSummary {
  const contact = fieldsToContact(item.fields, item.uid, "4.0");
  const valuesOf = (name: string) =>
    contact.entries
      .map((e) => e.props[0])
      .filter((p): p is VProp => p?.name.toUpperCase() === name)
      .map(text);
  const summary: ContactSummary = {
    uid: item.uid,
    fn: item.label,
    tel: valuesOf("TEL"),
    email: valuesOf("EMAIL"),
  };
  if (contact.singles.ORG) summary.org = text(contact.singles.ORG);
  if (contact.note) summary.note = contact.note;
  return summary;
}

function text(prop: VProp): string {
  return prop.values
    .map((v) => (Array.isArray(v) ? v.filter(Boolean).join(" ") : String(v)))
    .join(", ")
    .replace(/^tel:/, "");
}
