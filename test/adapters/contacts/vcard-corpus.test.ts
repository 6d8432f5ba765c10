import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Contact } from "../../../src/adapters/contacts/model.js";
import { parseVCards, serializeVCard, splitVCards } from "../../../src/adapters/contacts/vcard.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/vcard/", import.meta.url));

function cardFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return cardFiles(path);
      return /\.(json|md)$/.test(name) ? [] : [path];
    });
}

/** SyncEvolution's rule (ClientTest.cpp getItems): an item ends at an empty line right after an END: line. */
function splitItems(text: string): string[] {
  const items: string[] = [];
  let current: string[] = [];
  let previous = "";
  for (const line of text.split(/\r?\n/)) {
    if (line === "" && previous.startsWith("END:")) {
      items.push(current.join("\n"));
      current = [];
    } else current.push(line);
    previous = line;
  }
  if (current.some((l) => l.trim() !== "")) items.push(current.join("\n"));
  return items;
}

const withoutVersion = ({ version: _, ...rest }: Contact) => rest;

const IGNORED_PARAMS = new Set([
  "VALUE",
  "ENCODING",
  "CHARSET",
  "X-APPLE-OMIT-YEAR",
  "QUOTED-PRINTABLE",
  "BASE64",
]);
const INLINE_MEDIA = new Set(["PHOTO", "LOGO", "SOUND", "KEY"]);

/** A property's parameters after the documented conversions (TYPE=pref is PREF=1, TYPE case, 2.1 bare types). */
function paramMeaning(name: string, params: string): string {
  const inline = INLINE_MEDIA.has(name) && /ENCODING=(b|BASE64)/i.test(params);
  return [...params.matchAll(/;([A-Za-z0-9-]+)(?:=("[^"]*"|[^;]*))?/g)]
    .flatMap(([, key = "", value]) => {
      const upper = key.toUpperCase();
      if (IGNORED_PARAMS.has(upper) || (inline && upper === "TYPE")) return [];
      const text = value === undefined ? key : value.replace(/^"|"$/g, "");
      if (value !== undefined && upper !== "TYPE") return [`${upper}=${text}`];
      return text.split(",").map((t) => (t.toLowerCase() === "pref" ? "PREF=1" : `TYPE=${t.toLowerCase()}`));
    })
    .sort()
    .join(";");
}

/**
 * What a card says, independent of the codec: each property's name, parameters and a skeleton
 * of its value (letters and digits only), after the documented version conversions.
 */
function meaning(cardText: string): string[] {
  const lines = cardText
    .replace(/\r?\n[ \t]/g, "")
    .replace(/=\r?\n/g, (m, offset: number, all: string) =>
      /QUOTED-PRINTABLE[^\n]*$/i.test(all.slice(0, offset)) ? "" : m,
    )
    .split(/\r?\n/);
  const keys: string[] = [];
  for (const line of lines) {
    const match = /^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)((?:;(?:[^:"]|"[^"]*")*)?):(.*)$/.exec(line);
    if (!match) continue;
    const name = (match[1] ?? "").toUpperCase().replace(/^X-ADDRESSBOOKSERVER-(KIND|MEMBER)$/, "$1");
    const params = match[2] ?? "";
    let value = match[3] ?? "";
    if (["BEGIN", "END", "VERSION"].includes(name)) continue;
    if (/QUOTED-PRINTABLE/i.test(params)) {
      const bytes = value.replace(/=([0-9A-F]{2})/gi, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
      value = Buffer.from(bytes, "latin1").toString("utf8");
    }
    const omitted = /X-APPLE-OMIT-YEAR=(\d{4})/i.exec(params)?.[1];
    if (omitted && value.startsWith(omitted)) value = value.slice(4);
    value = value.replace(/^(tel:|geo:|data:[^,]*,)/i, "").replace(/\\[nN]/g, " ");
    const skeleton = value
      .normalize("NFC")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]/gu, "");
    if (name === "NOTE" && skeleton === "") continue;
    keys.push(`${name}=${skeleton} ${paramMeaning(name, params)}`);
  }
  return keys.sort();
}

function missing(original: string[], after: string[]): string[] {
  const left = [...after];
  return original.filter((key) => {
    const i = left.indexOf(key);
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}

const files = cardFiles(FIXTURES);
const items = files.flatMap((path) =>
  splitItems(readFileSync(path, "utf8")).map((text, index) => ({
    id: `${relative(FIXTURES, path)}#${index + 1}`,
    text,
  })),
);

describe("vCard corpus", () => {
  it("finds every corpus card", () => {
    expect(files.length).toBe(28);
    expect(items.length).toBe(114);
  });

  it("splitVCards agrees with SyncEvolution's item split", () => {
    for (const path of files) {
      const text = readFileSync(path, "utf8");
      const split = splitVCards(text).map((c) => c.text.trimEnd().replace(/\r\n/g, "\n"));
      expect(split).toEqual(splitItems(text).map((t) => t.trimEnd().replace(/\r\n/g, "\n")));
    }
  });

  it("notices a dropped property or parameter", () => {
    const text = items.find((i) => i.id.startsWith("icaljs/vcard3.vcf"))?.text ?? "";
    expect(meaning(text).length).toBeGreaterThan(30);
    expect(missing(meaning(text), meaning(text.replace("ROLE:Programmer\n", "")))).toEqual([
      "ROLE=programmer ",
    ]);
    expect(missing(meaning(text), meaning(text.replace("internet,pref", "internet")))).toHaveLength(1);
  });

  describe.each(items)("$id", ({ id, text }) => {
    it("parses as exactly one card", () => {
      const { cards, errors } = parseVCards(text, id);
      expect(errors).toEqual([]);
      expect(cards).toHaveLength(1);
    });

    it.each(["3.0", "4.0"] as const)("is a fixed point of serialize %s then parse", (version) => {
      const contact = parseVCards(text, id).cards[0]?.contact as Contact;
      const written = serializeVCard(contact, version);
      const again = parseVCards(written, "again");
      expect(again.errors).toEqual([]);
      expect(withoutVersion(again.cards[0]?.contact as Contact)).toEqual(withoutVersion(contact));
      expect(again.cards[0]?.contact.version).toBe(version);
    });

    it.each(["3.0", "4.0"] as const)("loses nothing of the original text when written as %s", (version) => {
      const contact = parseVCards(text, id).cards[0]?.contact as Contact;
      expect(missing(meaning(text), meaning(serializeVCard(contact, version)))).toEqual([]);
    });
  });
});
