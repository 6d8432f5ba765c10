import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import type {
  Endpoint,
  GuardVerdict,
  Listed,
  ReadResult,
  WriteBatch,
  WriteOutcome,
} from "../../../core/endpoint.js";
import { writeFileAtomic } from "../../shared/atomic-write.js";
import { readIfExists } from "../../shared/read-if-exists.js";
import { fieldsToContact } from "../fields.js";
import type { VCardVersion } from "../model.js";
import { contactItem } from "../sync-item.js";
import { parseVCards, serializeVCard, splitVCards } from "../vcard.js";

interface Card {
  text: string;
  line: number;
  version?: VCardVersion;
}

/**
 * `file:PATH.vcf`: many contacts in one file, for import and export. Each card's id is its UID
 * and its token a hash of its text, so only cards whose text changed are parsed. A write
 * rewrites the whole file atomically and keeps untouched cards byte for byte.
 */
export class ContactsFileEndpoint implements Endpoint {
  readonly domain = "contacts";
  readonly readOnly = false;
  readonly uri: string;
  private cards = new Map<string, Card>();

  constructor(readonly path: string) {
    this.uri = `file:${path}`;
  }

  async guard(): Promise<GuardVerdict> {
    return { enabled: true };
  }

  async list(): Promise<Listed[]> {
    const text = await readIfExists(this.path);
    this.cards = new Map();
    for (const card of splitVCards(text)) {
      const id = uniqueId(this.cards, card.uid || `line-${card.line}`);
      this.cards.set(id, { text: card.text, line: card.line });
    }
    return [...this.cards].map(([id, card]) => ({ id, token: textToken(card.text) }));
  }

  async read(ids: string[]): Promise<Map<string, ReadResult>> {
    const modified = await stat(this.path).then(
      (s) => s.mtimeMs,
      () => Date.now(),
    );
    const out = new Map<string, ReadResult>();
    for (const id of ids) {
      const card = this.cards.get(id);
      if (!card) {
        out.set(id, { ok: false, error: { where: this.path, message: `no card ${id}` } });
        continue;
      }
      const { cards, errors } = parseVCards(card.text, this.path);
      const error = errors[0];
      const parsed = cards[0];
      if (error || !parsed) {
        const line = card.line + (error ? Number(error.where.split(":").pop()) - 1 || 0 : 0);
        out.set(id, {
          ok: false,
          error: { where: `${this.path}:${line}`, message: error?.message ?? "holds no vCard" },
        });
        continue;
      }
      card.version = parsed.contact.version;
      out.set(id, { ok: true, item: { ...contactItem(parsed.contact), modified } });
    }
    return out;
  }

  async write(batch: WriteBatch): Promise<WriteOutcome[]> {
    const outcomes: WriteOutcome[] = [];
    for (const id of batch.delete) {
      this.cards.delete(id);
      outcomes.push({ kind: "delete", id, ok: true });
    }
    const written: { kind: "create" | "update"; id: string; uid: string; text: string }[] = [];
    for (const u of batch.update) {
      const version = this.cards.get(u.id)?.version === "4.0" ? "4.0" : "3.0";
      const text = serializeVCard(fieldsToContact(u.fields, u.uid, version), version);
      this.cards.set(u.id, { text, line: 0, version });
      written.push({ kind: "update", id: u.id, uid: u.uid, text });
    }
    for (const c of batch.create) {
      const id = uniqueId(this.cards, c.uid);
      const text = serializeVCard(fieldsToContact(c.fields, c.uid, "3.0"), "3.0");
      this.cards.set(id, { text, line: 0, version: "3.0" });
      written.push({ kind: "create", id, uid: c.uid, text });
    }
    try {
      await writeFileAtomic(this.path, [...this.cards.values()].map((c) => ensureNewline(c.text)).join(""));
    } catch (error) {
      const message = (error as Error).message;
      return [
        ...batch.delete.map((id): WriteOutcome => ({ kind: "delete", id, ok: false, error: message })),
        ...written.map(
          (w): WriteOutcome => ({ kind: w.kind, uid: w.uid, id: w.id, ok: false, error: message }),
        ),
      ];
    }
    for (const w of written)
      outcomes.push({ kind: w.kind, uid: w.uid, ok: true, id: w.id, token: textToken(w.text) });
    return outcomes;
  }
}

function textToken(text: string): string {
  return createHash("sha256").update(text.trimEnd()).digest("base64url").slice(0, 22);
}

function uniqueId(taken: Map<string, unknown>, base: string): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}#${n}`;
  return id;
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\r\n`;
}
