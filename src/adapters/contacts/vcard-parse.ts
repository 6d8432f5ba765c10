/**
 * Reading vCard 2.1, 3.0 and 4.0 text into Contacts.
 *
 * Content lines are tokenized here rather than by ICAL.parse, which rejects 2.1's bare
 * parameters (TEL;CELL:), keeps only the last of repeated parameters, drops items of a
 * TYPE list that mixes quoted and bare values, and leaves \; escaped in single text values.
 */
import type { ReadError } from "../../core/endpoint.js";
import type { Contact, ContactEntry, VCardVersion, VProp } from "./model.js";
import { canonicalName, type Params, readProp, unescapeText } from "./vcard-versions.js";

export interface CardText {
  text: string;
  /** 1-based line of BEGIN:VCARD. */
  line: number;
  uid: string;
}

/** Properties kept in `singles` when they occur ungrouped; later repeats become entries. */
const SINGLES = new Set(
  (
    "FN N ORG TITLE ROLE BDAY ANNIVERSARY NICKNAME GENDER KIND PHOTO LOGO SOUND PRODID REV SORT-STRING " +
    "X-PHONETIC-FIRST-NAME X-PHONETIC-MIDDLE-NAME X-PHONETIC-LAST-NAME X-MAIDENNAME X-ABSHOWAS CLASS TZ GEO"
  ).split(" "),
);
/** Apple's group companions: they describe the group's main property. */
const COMPANIONS = new Set(["x-ablabel", "x-abadr"]);
const VERSIONS = new Set(["2.1", "3.0", "4.0"]);
const BARE_ENCODINGS = new Set(["quoted-printable", "base64", "b", "8bit", "7bit"]);
const BARE_VALUES = new Set(["inline", "url", "uri", "cid", "content-id"]);

class CardError extends Error {}

interface Chunk {
  /** Physical lines without terminators, BEGIN and END included when present. */
  lines: string[];
  line: number;
  start: number;
  end: number;
  complete: boolean;
}

interface Scan {
  chunks: Chunk[];
  /** 1-based lines of text outside any card. */
  stray: { line: number; text: string }[];
}

function scanCards(text: string): Scan {
  const chunks: Chunk[] = [];
  const stray: Scan["stray"] = [];
  let current: Chunk | undefined;
  let offset = 0;
  const physical = text.split(/(?<=\n)/);
  physical.forEach((withEnd, index) => {
    const line = withEnd.replace(/\r?\n$/, "");
    const next = offset + withEnd.length;
    if (/^BEGIN:VCARD\s*$/i.test(line)) {
      if (current) chunks.push(current);
      current = { lines: [line], line: index + 1, start: offset, end: next, complete: false };
    } else if (current) {
      current.lines.push(line);
      current.end = next;
      if (/^END:VCARD\s*$/i.test(line)) {
        chunks.push({ ...current, complete: true });
        current = undefined;
      }
    } else if (line.trim() !== "") {
      stray.push({ line: index + 1, text: line });
    }
    offset = next;
  });
  if (current) chunks.push(current);
  return { chunks, stray };
}

interface Logical {
  text: string;
  line: number;
}

const isQuotedPrintable = (line: string) => /^[^:]*QUOTED-PRINTABLE/i.test(line);
const isBase64 = (line: string) => /^[^:]*[;=]BASE64[;:]/i.test(line);

/** Unfolds RFC folding, 2.1 quoted-printable soft breaks and 2.1 base64 bodies; drops blank lines. */
function unfold(lines: string[], firstLine: number): Logical[] {
  const out: Logical[] = [];
  lines.forEach((line, index) => {
    const last = out[out.length - 1];
    if (last && /^[ \t]/.test(line)) last.text += line.slice(1);
    else if (last && isQuotedPrintable(last.text) && last.text.endsWith("="))
      last.text = last.text.slice(0, -1) + line;
    else if (last && isBase64(last.text) && line.trim() !== "" && !line.includes(":"))
      last.text += line.trim();
    else if (line.trim() !== "") out.push({ text: line, line: firstLine + index });
  });
  return out;
}

interface ContentLine {
  group: string;
  name: string;
  params: Params;
  raw: string;
}

function decodeParamValue(value: string): string {
  return value.replace(/\^(['n^])/g, (_, c: string) => (c === "n" ? "\n" : c === "'" ? '"' : "^"));
}

function addParam(params: Params, name: string, value: string): void {
  const previous = params[name];
  if (previous === undefined) params[name] = value;
  else params[name] = [...(Array.isArray(previous) ? previous : [previous]), value];
}

/** Reads `;name=value,"quoted value"...` pairs up to the ':' that starts the value. */
function tokenizeParams(line: string, start: number): { params: Params; valueStart: number } {
  const params: Params = {};
  let i = start;
  while (line[i] === ";") {
    const nameMatch = /^[A-Za-z0-9-]*/.exec(line.slice(i + 1));
    const name = (nameMatch?.[0] ?? "").toLowerCase();
    i += 1 + name.length;
    if (name === "") throw new CardError("empty parameter name");
    if (line[i] !== "=") {
      // vCard 2.1 bare parameter: TEL;CELL, NOTE;QUOTED-PRINTABLE
      const kind = BARE_ENCODINGS.has(name) ? "encoding" : BARE_VALUES.has(name) ? "value" : "type";
      addParam(params, kind, name);
      continue;
    }
    i++;
    const items: string[] = [];
    for (;;) {
      if (line[i] === '"') {
        const close = line.indexOf('"', i + 1);
        if (close === -1) throw new CardError(`unterminated quoted value of parameter ${name.toUpperCase()}`);
        items.push(decodeParamValue(line.slice(i + 1, close)));
        i = close + 1;
      } else {
        const item = /^[^;:,"]*/.exec(line.slice(i))?.[0] ?? "";
        items.push(decodeParamValue(item));
        i += item.length;
      }
      if (line[i] !== ",") break;
      i++;
    }
    if (name === "type") for (const item of items) addParam(params, name, item);
    else addParam(params, name, items.join(","));
  }
  if (line[i] !== ":") throw new CardError(`expected ':' after the parameters`);
  return { params, valueStart: i + 1 };
}

function tokenize(line: string): ContentLine {
  const head = /^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)(?=[;:])/.exec(line);
  if (!head) throw new CardError(`not a property: "${line.slice(0, 40)}"`);
  const { params, valueStart } = tokenizeParams(line, head[0].length);
  return {
    group: (head[1] ?? "").toLowerCase(),
    name: (head[2] ?? "").toLowerCase(),
    params,
    raw: line.slice(valueStart),
  };
}

function decodeQuotedPrintable(line: ContentLine): void {
  const charset = typeof line.params.charset === "string" ? line.params.charset : "utf-8";
  const bytes: number[] = [];
  for (let i = 0; i < line.raw.length; i++) {
    const hex = line.raw.slice(i + 1, i + 3);
    if (line.raw[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(line.raw.charCodeAt(i) & 0xff);
  }
  let decoded: string;
  try {
    decoded = new TextDecoder(charset, { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    decoded = new TextDecoder("latin1").decode(Uint8Array.from(bytes));
  }
  line.raw = decoded.replace(/\r\n?/g, "\n");
  delete line.params.encoding;
  delete line.params.charset;
}

/** Orders a group's properties: its main property first, then the companions in file order. */
function mainFirst(entry: ContactEntry): void {
  const main = entry.props.findIndex((p) => !COMPANIONS.has(p.name));
  if (main > 0) entry.props.unshift(...entry.props.splice(main, 1));
}

function readVersion(lines: ContentLine[]): VCardVersion {
  const version = lines.find((l) => l.name === "version")?.raw.trim() ?? "3.0";
  if (!VERSIONS.has(version)) throw new CardError(`unsupported VERSION "${version}"`);
  return version as VCardVersion;
}

function parseCard(lines: Logical[]): Contact {
  const tokens = lines.map((l) => {
    try {
      return { ...tokenize(l.text), line: l.line };
    } catch (e) {
      throw new CardError(`line ${l.line}: ${(e as Error).message}`);
    }
  });
  const version = readVersion(tokens);
  const contact: Contact = { uid: "", version, singles: {}, note: "", entries: [] };
  let hasUid = false;
  const groups = new Map<string, ContactEntry>();
  for (const token of tokens) {
    if (token.name === "version") continue;
    if (String(token.params.encoding).toLowerCase() === "quoted-printable") decodeQuotedPrintable(token);
    let prop: VProp;
    try {
      prop = readProp(token, version);
    } catch (e) {
      throw new CardError(`line ${token.line}: ${(e as Error).message}`);
    }
    const key = canonicalName(token.name).toUpperCase();
    const noParams = Object.keys(prop.params).length === 0;
    if (token.group === "" && key === "UID" && !hasUid) {
      contact.uid = String(prop.values[0] ?? "");
      hasUid = true;
    } else if (token.group === "" && key === "NOTE" && contact.note === "" && noParams) {
      contact.note = String(prop.values[0] ?? "");
    } else if (token.group === "" && SINGLES.has(key) && !(key in contact.singles)) {
      contact.singles[key] = prop;
    } else if (token.group === "") {
      contact.entries.push({ props: [prop] });
    } else {
      const entry = groups.get(token.group);
      if (entry) entry.props.push(prop);
      else {
        const fresh = { props: [prop] };
        groups.set(token.group, fresh);
        contact.entries.push(fresh);
      }
    }
  }
  for (const entry of groups.values()) mainFirst(entry);
  return contact;
}

/** Parses every vCard in the text; a malformed card becomes a ReadError and the others still parse. */
export function parseVCards(
  text: string,
  source: string,
): { cards: { contact: Contact; line: number }[]; errors: ReadError[] } {
  const { chunks, stray } = scanCards(text);
  const cards: { contact: Contact; line: number }[] = [];
  const errors: ReadError[] = stray.map((s) => ({
    where: `${source}:${s.line}`,
    message: `text outside any vCard: "${s.text.slice(0, 40)}"`,
  }));
  for (const chunk of chunks) {
    const where = `${source}:${chunk.line}`;
    if (!chunk.complete) {
      errors.push({ where, message: "vCard has no END:VCARD before the next card or the end of the text" });
      continue;
    }
    try {
      const contact = parseCard(unfold(chunk.lines.slice(1, -1), chunk.line + 1));
      cards.push({ contact, line: chunk.line });
    } catch (e) {
      if (!(e instanceof CardError)) throw e;
      errors.push({ where, message: `malformed vCard: ${e.message}` });
    }
  }
  errors.sort((a, b) => lineOf(a.where) - lineOf(b.where));
  return { cards, errors };
}

function lineOf(where: string): number {
  return Number(where.slice(where.lastIndexOf(":") + 1));
}

/** Splits a multi-card file without parsing values: each card's exact text, its line and its UID. */
export function splitVCards(text: string): CardText[] {
  return scanCards(text).chunks.map((chunk) => {
    const uidLine = unfold(chunk.lines, chunk.line)
      .map((l) => /^UID(?:;[^:]*)?:(.*)$/i.exec(l.text))
      .find((m) => m !== null);
    return {
      text: text.slice(chunk.start, chunk.end),
      line: chunk.line,
      uid: uidLine ? unescapeText(uidLine[1] ?? "", "3.0") : "",
    };
  });
}
