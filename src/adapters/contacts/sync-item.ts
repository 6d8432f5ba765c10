import type { SyncItem } from "../../core/endpoint.js";
import { contactLabel, contactMatchKeys, contactToFields } from "./fields.js";
import type { Contact } from "./model.js";

/** A parsed contact as the engine sees it (the endpoint adds when it was modified). */
export function contactItem(contact: Contact): Omit<SyncItem, "modified"> {
  return {
    uid: contact.uid,
    fields: contactToFields(contact),
    label: contactLabel(contact),
    matchKeys: contactMatchKeys(contact),
  };
}
