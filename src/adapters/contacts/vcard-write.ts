/**
 * Writing a Contact as vCard 3.0 or 4.0 text: CRLF line ends, lines folded at 75 octets.
 *
 * Not ICAL.stringify: it upper-cases group names (ITEM1.), escapes commas inside URIs
 * (data:image/jpeg;base64\,...), and folds at 75 characters rather than octets.
 */
import type { Contact, VProp } from "./model.js";
import { type Params, type WireProp, writeProp } from "./vcard-versions.js";

const FOLD_OCTETS = 75;

function encodeParamValue(value: string): string {
  const encoded = value.replace(/[\^"\n]/g, (c) => (c === "\n" ? "^n" : c === '"' ? "^'" : "^^"));
  return encoded === "" || /[;:,]|^\s|\s$/.test(encoded) ? `"${encoded}"` : encoded;
}

function encodeParams(params: Params): string {
  return Object.entries(params)
    .map(([name, value]) => {
      const key = name.toUpperCase();
      if (name === "type")
        return `;${key}=${(Array.isArray(value) ? value : [value]).map(encodeParamValue).join(",")}`;
      return (Array.isArray(value) ? value : [value]).map((v) => `;${key}=${encodeParamValue(v)}`).join("");
    })
    .join("");
}

function contentLine(wire: WireProp, group: string): string {
  return `${group}${wire.name}${encodeParams(wire.params)}:${wire.raw}`;
}

/** Folds a line so that no physical line exceeds 75 octets, never inside a UTF-8 sequence. */
function foldLine(line: string): string {
  const lines: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    if (octets + size > FOLD_OCTETS) {
      lines.push(current);
      current = " ";
      octets = 1;
    }
    current += char;
    octets += size;
  }
  lines.push(current);
  return lines.join("\r\n");
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
