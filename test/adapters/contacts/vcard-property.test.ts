import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Contact, ContactEntry, VProp } from "../../../src/adapters/contacts/model.js";
import { parseVCards, serializeVCard } from "../../../src/adapters/contacts/vcard.js";

const specials = fc.constantFrom(
  ",",
  ";",
  "\\",
  ":",
  '"',
  "^",
  "=",
  " ",
  "\t",
  "é",
  "ß",
  "日",
  "😀",
  "\u0301",
);
const plain = fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }).filter((c) => !/[\p{Cc}]/u.test(c));
/** Any text a user may type, newlines included; vCard text cannot carry a bare CR. */
const text = fc.string({ unit: fc.oneof(plain, specials, fc.constant("\n")), maxLength: 30 });
/** Raw text of properties ical.js does not know: kept as written, so one line. */
const rawText = fc.string({ unit: fc.oneof(plain, specials), maxLength: 20 });
const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const paramValue = fc.string({ unit: fc.oneof(plain, specials, fc.constant("\n")), maxLength: 12 });

const typeParams = fc.record(
  {
    // TYPE=pref is not canonical (it reads as PREF=1), so no generated contact carries it.
    type: fc
      .oneof(token, fc.uniqueArray(token, { minLength: 2, maxLength: 3 }))
      .filter((t) => (Array.isArray(t) ? !t.includes("pref") : t !== "pref")),
    pref: fc.constantFrom("1", "2", "50"),
    "x-extra": fc.oneof(paramValue, fc.array(paramValue, { minLength: 2, maxLength: 3 })),
  },
  { requiredKeys: [] },
);

const prop = (name: string, type: string, value: fc.Arbitrary<unknown>, params = typeParams) =>
  fc.record({ name: fc.constant(name), params, type: fc.constant(type), values: value.map((v) => [v]) });

const structured = (count: number, lists: boolean) =>
  fc.array(lists ? fc.oneof(text, fc.array(text, { minLength: 2, maxLength: 3 })) : text, {
    minLength: count,
    maxLength: count,
  });

const singles = fc.record(
  {
    FN: prop("fn", "text", text),
    N: prop("n", "text", structured(5, true)),
    ORG: prop("org", "text", structured(3, false)),
    TITLE: prop("title", "text", text),
    NICKNAME: fc.record({
      name: fc.constant("nickname"),
      params: fc.constant({}),
      type: fc.constant("text"),
      values: fc.array(text, { minLength: 1, maxLength: 3 }),
    }),
    BDAY: prop("bday", "date-and-or-time", fc.constantFrom("1990-01-02", "--04-15", "1953-10-15T23:10:00Z")),
    KIND: prop("kind", "text", fc.constantFrom("individual", "group", "org")),
    PHOTO: prop(
      "photo",
      "uri",
      fc.constantFrom("data:image/jpeg;base64,SGVsbG8=", "https://example.com/a,b;c.png"),
    ),
    "X-PHONETIC-FIRST-NAME": prop("x-phonetic-first-name", "unknown", rawText),
  },
  { requiredKeys: [] },
);

const main: fc.Arbitrary<VProp> = fc.oneof(
  prop("tel", "text", fc.stringMatching(/^\+?[0-9 ()-]{1,15}$/)),
  prop("email", "text", text),
  prop("adr", "text", structured(7, true)),
  prop("url", "uri", fc.webUrl()),
  prop("impp", "uri", fc.constantFrom("xmpp:anna@example.org", "aim:ICQ%20JD")),
  prop(
    "member",
    "uri",
    fc.uuid().map((u) => `urn:uuid:${u}`),
  ),
  prop("x-abrelatednames", "unknown", rawText),
  prop("x-vendor", "unknown", rawText),
);
const label = prop("x-ablabel", "unknown", rawText, fc.constant({}));
const entry: fc.Arbitrary<ContactEntry> = fc.oneof(
  main.map((p) => ({ props: [p] })),
  fc.tuple(main, label).map((props) => ({ props })),
);

const contact: fc.Arbitrary<Contact> = fc.record({
  uid: rawText.map((u) => u.replace(/\\$/, "")),
  version: fc.constantFrom("3.0", "4.0"),
  singles,
  note: text,
  entries: fc.array(entry, { maxLength: 6 }),
});

describe("serializeVCard then parseVCards", () => {
  it.each(["3.0", "4.0"] as const)("returns any contact unchanged (%s)", (version) => {
    fc.assert(
      fc.property(contact, (c) => {
        const { cards, errors } = parseVCards(serializeVCard(c, version), "generated.vcf");
        expect(errors).toEqual([]);
        expect(cards[0]?.contact).toEqual({ ...c, version });
      }),
      { numRuns: 300 },
    );
  });
});
