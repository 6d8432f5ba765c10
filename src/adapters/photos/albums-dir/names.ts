/**
 * Album and folder titles as directory names, reversibly: "/", "%", control characters and a
 * leading "." are percent-escaped, so "2019-10/11 Paris" is the directory "2019-10%2F11 Paris"
 * and reads back as the same title. The empty title is "%", which no escaped title can be.
 */

const MAX_NAME_BYTES = 200;

export function escapeTitle(title: string): string {
  if (title === "") return "%";
  let out = "";
  for (const [i, ch] of [...title].entries()) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "%" || ch === "/" || code < 0x20 || code === 0x7f || (i === 0 && ch === "."))
      out += `%${code.toString(16).toUpperCase().padStart(2, "0")}`;
    else out += ch;
  }
  return out;
}

export function unescapeTitle(name: string): string {
  if (name === "%") return "";
  return name.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * A directory name for a title that no sibling uses yet: the escaped title, shortened to fit
 * file systems' 255-byte limit, with " (2)", " (3)"... when taken. The sidecar keeps the title.
 */
export function uniqueName(title: string, taken: (name: string) => boolean): string {
  let base = escapeTitle(title);
  while (Buffer.byteLength(base) > MAX_NAME_BYTES) base = [...base].slice(0, -1).join("");
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base} (${n})`;
    if (!taken(name)) return name;
  }
}
