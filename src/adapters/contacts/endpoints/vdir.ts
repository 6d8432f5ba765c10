import { VdirEndpoint, type VdirFormat } from "../../shared/vdir-endpoint.js";
import { fieldsToContact } from "../fields.js";
import type { VCardVersion } from "../model.js";
import { contactItem } from "../sync-item.js";

type Codec = typeof import("../vcard.js");
let codec: Codec | undefined;

/** vCards in a vdir: existing files keep their version; new ones are 3.0, as Apple exports. */
const VCARD_FORMAT: VdirFormat<VCardVersion> = {
  domain: "contacts",
  extension: ".vcf",
  async load() {
    codec ??= await import("../vcard.js");
  },
  parse(text, path) {
    const { cards, errors } = (codec as Codec).parseVCards(text, path);
    const error = errors[0];
    if (error) return { ok: false, error };
    const card = cards[0];
    if (!card) return { ok: false, error: { where: path, message: "holds no vCard" } };
    if (cards.length > 1)
      return {
        ok: false,
        error: { where: path, message: `holds ${cards.length} vCards; a vdir file holds one` },
      };
    return { ok: true, meta: card.contact.version, item: contactItem(card.contact) };
  },
  // The first VERSION line, as the parser reads it; any other value is left to the parser.
  peekMeta(text) {
    const version = /^(?:[A-Za-z0-9-]+\.)?VERSION(?:;[^:\r\n]*)?:([^\r\n]*)/im.exec(text)?.[1]?.trim();
    return version === "2.1" || version === "3.0" || version === "4.0" ? version : undefined;
  },
  serialize(fields, uid, version) {
    const target = version === "4.0" ? "4.0" : "3.0";
    return (codec as Codec).serializeVCard(fieldsToContact(fields, uid, target), target);
  },
};

/** `vdir:DIR` for contacts: one vCard per .vcf file, as vdirsyncer and khard keep them. */
export class ContactsVdirEndpoint extends VdirEndpoint<VCardVersion> {
  constructor(dir: string) {
    super(dir, VCARD_FORMAT);
  }
}
