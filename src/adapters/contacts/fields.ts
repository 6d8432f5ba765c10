/**
 * Contact ↔ Fields, the shape the merge engine works on.
 *
 * - scalars: each single property (FN, N, ORG, BDAY, PHOTO...) as canonical JSON of its jCard form.
 *   REV and PRODID are left out, as vdirsyncer leaves them out of its hash: every writer
 *   rewrites them, so they would make every sync a conflict.
 * - texts.NOTE: the note, merged per character.
 * - sets.entries: every multi-valued entry's main property keyed by its normalized value
 *   (E.164-ish digits for phones, lower-cased email, all ADR parts...), so additions on both
 *   sides survive and the same number typed differently is one entry.
 * - sets.companions: the properties that shared the entry's Apple item group (X-ABLabel,
 *   X-ABADR), under the same key. Kept apart so that a custom label added on one side survives
 *   a change of the same entry's type on the other.
 * - sets["@order"]: each entry's position, a separate register so that reordering never
 *   conflicts with editing (ordering hints are settled silently).
 */
import type { Fields } from "../../core/fields.js";
import { sha256 } from "../../core/sha256.js";
import type { Contact, ContactEntry, VCardVersion, VProp } from "./model.js";

const NOT_MERGED = new Set(["REV", "PRODID"]);
const ORDER = "@order";

export function contactToFields(contact: Contact): Fields {
  const fields: Fields = { scalars: {}, texts: {}, sets: {} };
  for (const [name, prop] of Object.entries(contact.singles)) {
    if (!NOT_MERGED.has(name)) fields.scalars[name] = propJson(prop);
  }
  if (contact.note) fields.texts.NOTE = contact.note;
  const entries: Record<string, string> = {};
  const companions: Record<string, string> = {};
  const order: Record<string, string> = {};
  contact.entries.forEach((entry, position) => {
    const [main, ...rest] = entry.props;
    if (!main) return;
    const value = propJson(main);
    const key = uniqueKey(entries, entryKey(entry), value);
    entries[key] = value;
    if (rest.length > 0) companions[key] = `[${rest.map(propJson).join(",")}]`;
    order[key] = String(position).padStart(4, "0");
  });
  if (Object.keys(entries).length > 0) {
    fields.sets.entries = entries;
    fields.sets[ORDER] = order;
  }
  if (Object.keys(companions).length > 0) fields.sets.companions = companions;
  return fields;
}

export function fieldsToContact(fields: Fields, uid: string, version: VCardVersion): Contact {
  const singles: Record<string, VProp> = {};
  for (const [name, json] of Object.entries(fields.scalars)) singles[name] = JSON.parse(json) as VProp;
  const entries = fields.sets.entries ?? {};
  const companions = fields.sets.companions ?? {};
  const order = fields.sets[ORDER] ?? {};
  const keys = Object.keys(entries).sort(
    (a, b) => compare(order[a] ?? "9999", order[b] ?? "9999") || compare(a, b),
  );
  return {
    uid,
    version,
    singles,
    note: fields.texts.NOTE ?? "",
    entries: keys.map((k) => ({
      props: [JSON.parse(entries[k] as string) as VProp, ...(JSON.parse(companions[k] ?? "[]") as VProp[])],
    })),
  };
}

/** The key that makes "+49 30 1234" and "0049301234" one phone entry. */
export function entryKey(entry: ContactEntry): string {
  const main = entry.props[0];
  if (!main) return "EMPTY:";
  const name = main.name.toUpperCase();
  const text = valueText(main);
  switch (name) {
    case "TEL":
      // Vanity numbers (1-800-FLOWERS) and free text ("ask reception") are not digits alone.
      return /[a-z]/i.test(text.replace(/^tel:/i, ""))
        ? `TEL:${normalizeText(text)}`
        : `TEL:${phoneDigits(text)}`;
    case "EMAIL":
      return `EMAIL:${text.trim().toLowerCase()}`;
    case "ADR":
      return `ADR:${normalizeText(text)}`;
    default:
      return `${name}:${normalizeText(text)}`;
  }
}

/** E.164-ish: keep a leading + (or turn a leading 00 into one) and the digits. */
export function phoneDigits(value: string): string {
  const bare = value.replace(/^tel:/i, "").split(";")[0] ?? "";
  const digits = bare.replace(/[^0-9+]/g, "");
  if (digits.startsWith("00")) return `+${digits.slice(2)}`;
  return digits.startsWith("+") ? `+${digits.slice(1).replace(/\+/g, "")}` : digits.replace(/\+/g, "");
}

export function contactLabel(contact: Contact): string {
  const fn = contact.singles.FN ? valueText(contact.singles.FN).trim() : "";
  if (fn) return fn;
  const n = contact.singles.N ? valueText(contact.singles.N).replace(/;+/g, " ").trim() : "";
  return n || contact.uid || "(no name)";
}

/** First-sync keys: normalized name plus each phone and each email. */
export function contactMatchKeys(contact: Contact): string[] {
  const name = normalizeText(contactLabel(contact));
  if (!name) return [];
  const keys: string[] = [];
  for (const entry of contact.entries) {
    const key = entryKey(entry);
    if (key.startsWith("TEL:") || key.startsWith("EMAIL:")) keys.push(`${name}|${key.toLowerCase()}`);
  }
  return keys;
}

/**
 * Canonical JSON of a property: keys in a fixed order and parameters sorted, so equal
 * properties are equal strings. Written out by hand because it runs for every property read.
 */
export function propJson(prop: VProp): string {
  const params = Object.keys(prop.params)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(prop.params[k])}`)
    .join(",");
  return `{"name":${JSON.stringify(prop.name)},"params":{${params}},"type":${JSON.stringify(prop.type)},"values":${JSON.stringify(prop.values)}}`;
}

function valueText(prop: VProp): string {
  return prop.values.map((v) => (Array.isArray(v) ? v.map(String).join(";") : String(v))).join(",");
}

function normalizeText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * Two entries with the same normalized value (the same number typed twice, with different
 * labels) are told apart by their content, never by position: a key must not shift when an
 * entry before it is removed, or the 3-way diff would misread the other side's edits.
 */
function uniqueKey(taken: Record<string, string>, key: string, value: string): string {
  if (!(key in taken)) return key;
  const byContent = `${key}#${sha256(value, "base64url").slice(0, 8)}`;
  let candidate = byContent;
  for (let n = 2; candidate in taken; n++) candidate = `${byContent}-${n}`;
  return candidate;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
