import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import type { Contact, VProp } from "../../../src/adapters/contacts/model.js";
import { parseVCards } from "../../../src/adapters/contacts/vcard.js";

const DIR = fileURLToPath(new URL("../../fixtures/vcard/icaljs/", import.meta.url));
const MEDIA: Record<string, string> = { photo: "image", logo: "image", sound: "audio", key: "application" };
const dates = ICAL.design.vcard.value["date-and-or-time"] as { fromICAL(v: string): string };

type JProp = [string, Record<string, string | string[]>, string, ...unknown[]];

/** ical.js' jCard after the normalizations documented in src/adapters/contacts/vcard.ts. */
function normalize([jName, jParams, jType, ...jValues]: JProp): VProp {
  const name = jName.replace(/^x-addressbookserver-/, "");
  const { group: _, ...params } = jParams;
  let type = jType;
  let values = jValues;
  const types = [params.type ?? []].flat().map((t) => t.toLowerCase());
  delete params.type;
  if (type === "binary") {
    const [media = "", ...rest] = types;
    types.splice(0, types.length, ...rest);
    delete params.encoding;
    const mime = media === "" ? "" : `${MEDIA[name]}/${media}`;
    type = "uri";
    values = [`data:${mime};base64,${values[0]}`];
  }
  if (types.includes("pref")) params.pref = "1";
  const kept = types.filter((t) => t !== "pref");
  if (kept.length > 0) params.type = kept.length === 1 ? (kept[0] as string) : kept;
  if (type === "date" || type === "date-time" || type === "date-and-or-time") {
    type = name === "rev" && type === "date-time" ? "timestamp" : "date-and-or-time";
    values = values.map((v) => dates.fromICAL(String(v)));
  }
  if (type === "phone-number") type = "text";
  if (name === "tel" && String(values[0]).startsWith("tel:")) {
    type = "text";
    values = [String(values[0]).slice(4)];
  }
  if (name === "geo" && type === "float") {
    const [lat, lon] = values[0] as number[];
    type = "uri";
    values = [`geo:${lat},${lon}`];
  }
  return { name, params, type, values };
}

function flatten(contact: Contact): VProp[] {
  const text = (name: string, value: string): VProp => ({ name, params: {}, type: "text", values: [value] });
  return [
    ...(contact.uid === "" ? [] : [text("uid", contact.uid)]),
    ...(contact.note === "" ? [] : [text("note", contact.note)]),
    ...Object.values(contact.singles),
    ...contact.entries.flatMap((e) => e.props),
  ];
}

const sorted = (props: VProp[]) => props.map((p) => JSON.stringify(p, Object.keys(p).sort())).sort();

describe("parseVCards against ical.js' expected jCard (test/parser)", () => {
  it.each(["vcard", "vcard3", "vcard_author", "vcard_grouped", "escape_semicolon"])("%s.vcf", (name) => {
    const [, props] = JSON.parse(readFileSync(`${DIR}${name}.json`, "utf8")) as [string, JProp[]];
    const expected = props.filter(([n]) => n !== "version").map(normalize);
    const { cards, errors } = parseVCards(readFileSync(`${DIR}${name}.vcf`, "utf8"), `${name}.vcf`);
    expect(errors).toEqual([]);
    expect(sorted(flatten(cards[0]?.contact as Contact))).toEqual(sorted(expected));
  });
});
