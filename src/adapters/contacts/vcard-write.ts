/**
 * Writing a Contact as vCard 3.0 or 4.0 text: CRLF line ends, lines folded at 75 octets.
 *
 * Not ICAL.stringify: it upper-cases group names (ITEM1.), escapes commas inside URIs
 * (data:image/jpeg;base64\,...), and folds at 75 characters rather than octets.
 */
import type { Contact, VProp } from "./model.js";
import { type Params, type WireProp, writeProp } from "./vcard-versions.js";

const FOLD_OCTETS = 75;

const PARAM_SPECIALS = /[\^"\n]/;
const NEEDS_QUOTES = /[;:,]|^\s|\s$/;

function encodeParamValue(value: string): string {
  const encoded = PARAM_SPECIALS.test(value)
    ? value.replace(/[\^"\n]/g, (c) => (c === "\n" ? "^n" : c === '"' ? "^'" : "^^"))
    : value;
  return encoded === "" || NEEDS_QUOTES.test(encoded) ? `"${encoded}"` : encoded;
}

/** TYPE values share one parameter (TYPE=a,b); other repeated parameters are written once each. */
function encodeParams(params: Params): string {
  let text = "";
  for (const name in params) {
    const value = params[name] as string | string[];
    const key = name.toUpperCase();
    const values = Array.isArray(value) ? value : [value];
    if (name === "type") text += `;${key}=${values.map(encodeParamValue).join(",")}`;
    else for (const v of values) text += `;${key}=${encodeParamValue(v)}`;
  }
  return text;
}

function contentLine(wire: WireProp, group: string): string {
  return `${group}${wire.name}${encodeParams(wire.params)}:${wire.raw}`;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** One octet per character: cut every 75, then every 74 after the leading space. */
function foldAscii(line: string): string {
  const lines = [line.slice(0, FOLD_OCTETS)];
  for (let i = FOLD_OCTETS; i < line.length; i += FOLD_OCTETS - 1)
    lines.push(line.slice(i, i + FOLD_OCTETS - 1));
  return lines.join("\r\n ");
}

/** UTF-8 length of one code point; a lone surrogate is written as U+FFFD, three octets. */
function utf8Size(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}

/** Folds a line so that no physical line exceeds 75 octets, never inside a UTF-8 sequence. */
function foldLine(line: string): string {
  // Most lines are short: 3 octets per UTF-16 unit at most, so these cannot need folding.
  if (line.length * 3 <= FOLD_OCTETS) return line;
  if (!NON_ASCII.test(line)) return foldAscii(line);
  // Slices, not per-character concatenation: a 6 KB base64 PHOTO stays linear.
  const lines: string[] = [];
  let start = 0;
  let octets = 0;
  for (let i = 0; i < line.length; ) {
    const codePoint = line.codePointAt(i) as number;
    const size = utf8Size(codePoint);
    if (octets + size > FOLD_OCTETS) {
      lines.push(line.slice(start, i));
      start = i;
      octets = 1; // the continuation line's leading space
    }
    octets += size;
    i += codePoint > 0xffff ? 2 : 1;
  }
  lines.push(line.slice(start));
  return lines.join("\r\n ");
}

/** Writes one vCard. Default version: the contact's own; 2.1 is written as 3.0. */
export function serializeVCard(contact: Contact, version?: "3.0" | "4.0"): string {
  const target = version ?? (contact.version === "4.0" ? "4.0" : "3.0");
  const text = (name: string, value: string): VProp => ({ name, params: {}, type: "text", values: [value] });
  const lines = [
    "BEGIN:VCARD",
    `VERSION:${target}`,
    contentLine(writeProp(text("uid", contact.uid), target), ""),
  ];
  for (const prop of Object.values(contact.singles)) lines.push(contentLine(writeProp(prop, target), ""));
  if (contact.note !== "") lines.push(contentLine(writeProp(text("note", contact.note), target), ""));
  let groups = 0;
  for (const entry of contact.entries) {
    const group = entry.props.length > 1 ? `item${++groups}.` : "";
    for (const prop of entry.props) lines.push(contentLine(writeProp(prop, target), group));
  }
  lines.push("END:VCARD");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
