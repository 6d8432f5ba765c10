/**
 * Reading vCard 2.1, 3.0 and 4.0 text into Contacts.
 *
 * Content lines are tokenized here rather than by ICAL.parse, which rejects 2.1's bare
 * parameters (TEL;CELL:), keeps only the last of repeated parameters, drops items of a
 * TYPE list that mixes quoted and bare values, and leaves \; escaped in single text values.
 */
import type { ReadError } from "../../core/endpoint.js";
import type { Contact, ContactEntry, VCardVersion, VProp } from "./model.js";
import { type Params, readProp, unescapeText } from "./vcard-versions.js";

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

const CR = 0x0d;

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

const BEGIN_CARD = /^BEGIN:VCARD\s*$/i;
const END_CARD = /^END:VCARD\s*$/i;

/** A cheap first test before the marker regexes, which run on every physical line otherwise. */
function isMarker(line: string, keyword: "BEGIN" | "END"): boolean {
  return line.length > keyword.length && line[keyword.length] === ":";
}

/** The line from `start` without its LF or CRLF terminator (a CR alone stays). */
function physicalLine(text: string, start: number, newline: number): string {
  if (newline === -1) return text.slice(start);
  return text.slice(start, newline > start && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline);
}

function scanCards(text: string): Scan {
  const chunks: Chunk[] = [];
  const stray: Scan["stray"] = [];
  let current: Chunk | undefined;
  let offset = 0;
  for (let index = 0; offset < text.length; index++) {
    const newline = text.indexOf("\n", offset);
    const next = newline === -1 ? text.length : newline + 1;
    const line = physicalLine(text, offset, newline);
    if (isMarker(line, "BEGIN") && BEGIN_CARD.test(line)) {
      if (current) chunks.push(current);
      current = { lines: [line], line: index + 1, start: offset, end: next, complete: false };
    } else if (current) {
      current.lines.push(line);
      current.end = next;
      if (isMarker(line, "END") && END_CARD.test(line)) {
        chunks.push({ ...current, complete: true });
        current = undefined;
      }
    } else if (line.trim() !== "") {
      stray.push({ line: index + 1, text: line });
    }
    offset = next;
  }
  if (current) chunks.push(current);
  return { chunks, stray };
}

interface Logical {
  text: string;
  line: number;
}

const isQuotedPrintable = (line: string) => /^[^:]*QUOTED-PRINTABLE/i.test(line);
const isBase64 = (line: string) => /^[^:]*[;=]BASE64[;:]/i.test(line);

const isFolded = (line: string) => line[0] === " " || line[0] === "\t";

/**
 * Unfolds RFC folding, 2.1 quoted-printable soft breaks and 2.1 base64 bodies; drops blank lines.
 * The cheap tests come first: the regexes on the header only run for lines that could continue it.
 */
function unfold(lines: string[], firstLine: number): Logical[] {
  const out: Logical[] = [];
  lines.forEach((line, index) => {
    const last = out[out.length - 1];
    if (last && isFolded(line)) last.text += line.slice(1);
    else if (last?.text.endsWith("=") && isQuotedPrintable(last.text))
      last.text = last.text.slice(0, -1) + line;
    else if (last && !line.includes(":") && line.trim() !== "" && isBase64(last.text))
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
  line: number;
}

function decodeParamValue(value: string): string {
  if (!value.includes("^")) return value;
  return value.replace(/\^(['n^])/g, (_, c: string) => (c === "n" ? "\n" : c === "'" ? '"' : "^"));
}

function addParam(params: Params, name: string, value: string): void {
  const previous = params[name];
  if (previous === undefined) params[name] = value;
  else params[name] = [...(Array.isArray(previous) ? previous : [previous]), value];
}

// Sticky: they match at lastIndex, so the line is not sliced for every parameter.
const PARAM_NAME = /[A-Za-z0-9-]*/y;
const BARE_ITEM = /[^;:,"]*/y;

function matchAt(pattern: RegExp, line: string, index: number): string {
  pattern.lastIndex = index;
  return pattern.exec(line)?.[0] ?? "";
}

/** Reads `;name=value,"quoted value"...` pairs up to the ':' that starts the value. */
function tokenizeParams(line: string, start: number): { params: Params; valueStart: number } {
  const params: Params = {};
  let i = start;
  while (line[i] === ";") {
    const name = matchAt(PARAM_NAME, line, i + 1).toLowerCase();
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
        const item = matchAt(BARE_ITEM, line, i);
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

const HEAD = /^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)(?=[;:])/;

function tokenize({ text, line }: Logical): ContentLine {
  try {
    const head = HEAD.exec(text);
    if (!head) throw new CardError(`not a property: "${text.slice(0, 40)}"`);
    const { params, valueStart } = tokenizeParams(text, head[0].length);
    const group = head[1] === undefined ? "" : head[1].toLowerCase();
    return { group, name: (head[2] ?? "").toLowerCase(), params, raw: text.slice(valueStart), line };
  } catch (e) {
    throw new CardError(`line ${line}: ${(e as Error).message}`);
  }
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

/** A repeated ENCODING is a list, compared as its comma-joined text. */
function isQuotedPrintableValue(params: Params): boolean {
  return params.encoding !== undefined && String(params.encoding).toLowerCase() === "quoted-printable";
}

function readVersion(lines: ContentLine[]): VCardVersion {
  const version = lines.find((l) => l.name === "version")?.raw.trim() ?? "3.0";
  if (!VERSIONS.has(version)) throw new CardError(`unsupported VERSION "${version}"`);
  return version as VCardVersion;
}

function parseCard(lines: Logical[]): Contact {
  const tokens = lines.map(tokenize);
  const version = readVersion(tokens);
  const contact: Contact = { uid: "", version, singles: {}, note: "", entries: [] };
  let hasUid = false;
  const groups = new Map<string, ContactEntry>();
  for (const token of tokens) {
    if (token.name === "version") continue;
    if (isQuotedPrintableValue(token.params)) decodeQuotedPrintable(token);
    let prop: VProp;
    try {
      prop = readProp(token, version);
    } catch (e) {
      throw new CardError(`line ${token.line}: ${(e as Error).message}`);
    }
    if (token.group !== "") {
      const entry = groups.get(token.group);
      if (entry) entry.props.push(prop);
      else {
        const fresh = { props: [prop] };
        groups.set(token.group, fresh);
        contact.entries.push(fresh);
      }
      continue;
    }
    const key = prop.name.toUpperCase(); // prop.name is already canonical
    if (key === "UID" && !hasUid) {
      contact.uid = String(prop.values[0] ?? "");
      hasUid = true;
    } else if (key === "NOTE" && contact.note === "" && Object.keys(prop.params).length === 0) {
      contact.note = String(prop.values[0] ?? "");
    } else if (SINGLES.has(key) && !(key in contact.singles)) {
      contact.singles[key] = prop;
    } else {
      contact.entries.push({ props: [prop] });
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
