import type {
  Endpoint,
  GuardVerdict,
  Listed,
  ReadResult,
  WriteBatch,
  WriteOutcome,
} from "../../../core/endpoint.js";
import type { Fields } from "../../../core/fields.js";
import { VdirStore } from "../../shared/vdir-store.js";
import { fieldsToContact } from "../fields.js";
import type { VCardVersion } from "../model.js";
import { contactSyncItem } from "../sync-item.js";

/**
 * `vdir:DIR`: one vCard per .vcf file, as vdirsyncer and khard keep them. Existing files keep
 * their names and their vCard version; new files are named after the UID and written as 3.0,
 * the version Apple exports.
 */
export class ContactsVdirEndpoint implements Endpoint {
  readonly domain = "contacts";
  readonly readOnly = false;
  readonly uri: string;
  private readonly store: VdirStore;
  private readonly versions = new Map<string, VCardVersion>();
  private listed = new Set<string>();

  constructor(dir: string) {
    this.uri = `vdir:${dir}`;
    this.store = new VdirStore(dir, ".vcf");
  }

  async guard(): Promise<GuardVerdict> {
    return { enabled: true };
  }

  async list(): Promise<Listed[]> {
    const listed = this.store.list();
    this.listed = new Set(listed.map((l) => l.id));
    return listed;
  }

  async read(ids: string[]): Promise<Map<string, ReadResult>> {
    const codec = await loadCodec();
    const out = new Map<string, ReadResult>();
    await Promise.all(ids.map(async (id) => out.set(id, await this.readOne(id, codec))));
    return out;
  }

  private async readOne(id: string, codec: Codec): Promise<ReadResult> {
    const path = this.store.path(id);
    let text: string;
    try {
      text = await this.store.read(id);
    } catch (error) {
      return { ok: false, error: { where: path, message: `cannot read: ${(error as Error).message}` } };
    }
    const { cards, errors } = codec.parseVCards(text, path);
    const firstError = errors[0];
    if (firstError) return { ok: false, error: firstError };
    const card = cards[0];
    if (!card) return { ok: false, error: { where: path, message: "holds no vCard" } };
    if (cards.length > 1)
      return {
        ok: false,
        error: { where: path, message: `holds ${cards.length} vCards; a vdir file holds one` },
      };
    this.versions.set(id, card.contact.version);
    return { ok: true, item: contactSyncItem(card.contact, this.store.modified(id)) };
  }

  async write(batch: WriteBatch): Promise<WriteOutcome[]> {
    const codec = await loadCodec();
    const outcomes: WriteOutcome[] = [];
    for (const id of batch.delete) {
      try {
        await this.store.remove(id);
        this.listed.delete(id);
        outcomes.push({ kind: "delete", id, ok: true });
      } catch (error) {
        outcomes.push({ kind: "delete", id, ok: false, error: (error as Error).message });
      }
    }
    const writes = [
      ...batch.update.map((u) => ({ kind: "update" as const, id: u.id, uid: u.uid, fields: u.fields })),
      ...batch.create.map((c) => ({
        kind: "create" as const,
        id: this.claimId(c.uid),
        uid: c.uid,
        fields: c.fields,
      })),
    ];
    const results = await this.store.writeMany(
      writes.map((w) => ({ id: w.id, text: () => this.serialize(codec, w.id, w.uid, w.fields) })),
    );
    writes.forEach((w, i) => {
      const result = results[i];
      if (result && "token" in result)
        outcomes.push({ kind: w.kind, uid: w.uid, ok: true, id: w.id, token: result.token });
      else
        outcomes.push({
          kind: w.kind,
          uid: w.uid,
          id: w.id,
          ok: false,
          error: result?.error ?? "not written",
        });
    });
    return outcomes;
  }

  private serialize(codec: Codec, id: string, uid: string, fields: Fields): string {
    const version = this.versions.get(id) === "4.0" ? "4.0" : "3.0";
    return codec.serializeVCard(fieldsToContact(fields, uid, version), version);
  }

  private claimId(uid: string): string {
    const id = this.store.newId(uid, this.listed);
    this.listed.add(id);
    return id;
  }
}

type Codec = typeof import("../vcard.js");
let codecModule: Promise<Codec> | undefined;

/** The codec, and ical.js behind it, loads only when something is read or written. */
function loadCodec(): Promise<Codec> {
  codecModule ??= import("../vcard.js");
  return codecModule;
}
