/** Just enough vCard and iCalendar line handling for the bench: fold, unfold, escape, read UIDs. */

/** Folds a content line at 75 octets without splitting a UTF-8 character (RFC 6350 3.2). */
export function fold(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let bytes = 0;
  const limit = () => (parts.length === 0 ? 75 : 74);
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > limit()) {
      parts.push(current);
      current = "";
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

export function unfold(text: string): string[] {
  return text
    .replace(/\r?\n[ \t]/g, "")
    .split(/\r?\n/)
    .filter((l) => l !== "");
}

export function toText(lines: string[]): string {
  return `${lines.map(fold).join("\r\n")}\r\n`;
}

/** Escapes a TEXT value for vCard 3.0. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/,/g, "\\,").replace(/;/g, "\\;");
}

export function uidOf(text: string): string | undefined {
  for (const line of unfold(text)) {
    const m = /^(?:[A-Za-z0-9-]+\.)?UID(?:;[^:]*)?:(.*)$/i.exec(line);
    if (m) return m[1];
  }
  return undefined;
}
