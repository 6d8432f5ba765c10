import { describe, expect, it } from "vitest";
import type { Contact } from "../../../src/adapters/contacts/model.js";
import { parseVCards, serializeVCard, splitVCards } from "../../../src/adapters/contacts/vcard.js";

const card = (version: string, ...lines: string[]) =>
  ["BEGIN:VCARD", `VERSION:${version}`, ...lines, "END:VCARD", ""].join("\r\n");

function parseOne(text: string): Contact {
  const { cards, errors } = parseVCards(text, "test.vcf");
  expect(errors).toEqual([]);
  expect(cards).toHaveLength(1);
  return (cards[0] as { contact: Contact }).contact;
}

const withoutVersion = ({ version: _, ...rest }: Contact) => rest;

function expectRoundTrips(contact: Contact): void {
  for (const version of ["3.0", "4.0"] as const) {
    expect(withoutVersion(parseOne(serializeVCard(contact, version)))).toEqual(withoutVersion(contact));
  }
}

describe("Apple groups", () => {
  const apple = card(
    "3.0",
    "UID:apple-1",
    "FN:Anna Meyer",
    "item1.TEL;type=CELL;type=VOICE;type=pref:+49 170 1234567",
    "item1.X-ABLabel:_$!<Mobile>!$_",
    "item2.X-ABLabel:Boat phone",
    "item2.TEL:+49 30 555",
    "item3.ADR;type=HOME:;;Hauptstr. 1;Berlin;;10115;Germany",
    "item3.X-ABADR:de",
    "item4.IMPP;X-SERVICE-TYPE=Jabber;type=HOME:xmpp:anna@example.org",
    "item4.X-ABLabel:_$!<Other>!$_",
    "item5.X-ABRELATEDNAMES;type=pref:Bernd",
    "item5.X-ABLabel:_$!<Spouse>!$_",
    "X-SOCIALPROFILE;type=twitter;x-user=anna:http://twitter.com/anna",
  );

  it("keeps each group as one entry, main property first", () => {
    const contact = parseOne(apple);
    expect(contact.entries.map((e) => e.props.map((p) => p.name))).toEqual([
      ["tel", "x-ablabel"],
      ["tel", "x-ablabel"],
      ["adr", "x-abadr"],
      ["impp", "x-ablabel"],
      ["x-abrelatednames", "x-ablabel"],
      ["x-socialprofile"],
    ]);
    expect(contact.entries[0]?.props[0]).toEqual({
      name: "tel",
      params: { type: ["cell", "voice"], pref: "1" },
      type: "text",
      values: ["+49 170 1234567"],
    });
    expect(contact.entries[1]?.props[1]?.values).toEqual(["Boat phone"]);
    expect(contact.entries[5]?.props[0]?.params).toEqual({ type: "twitter", "x-user": "anna" });
  });

  it("writes groups renumbered and Apple's label spelling, and round-trips", () => {
    const contact = parseOne(apple);
    const text = serializeVCard(contact, "3.0");
    expect(text).toContain(
      "item1.TEL;TYPE=cell,voice,pref:+49 170 1234567\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\n",
    );
    expect(text).toContain("item2.TEL:+49 30 555\r\nitem2.X-ABLabel:Boat phone\r\n");
    expect(text).toContain("\r\nX-SOCIALPROFILE;TYPE=twitter;X-USER=anna:http://twitter.com/anna\r\n");
    expectRoundTrips(contact);
  });
});

describe("version-neutral canonical form", () => {
  it("parses equivalent 3.0 and 4.0 cards to the same contact", () => {
    const three = card(
      "3.0",
      "UID:same",
      "FN:Same",
      "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15",
      "PHOTO;ENCODING=b;TYPE=JPEG:SGVsbG8=",
      "X-ADDRESSBOOKSERVER-KIND:group",
      "GEO:37.386013;-122.082932",
      "TEL;TYPE=CELL,pref:+1 555 0100",
      "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:b",
    );
    const four = card(
      "4.0",
      "UID:same",
      "FN:Same",
      "BDAY:--0415",
      "PHOTO:data:image/jpeg;base64,SGVsbG8=",
      "KIND:group",
      "GEO:geo:37.386013,-122.082932",
      "TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+1 555 0100",
      "MEMBER:urn:uuid:b",
    );
    expect(withoutVersion(parseOne(three))).toEqual(withoutVersion(parseOne(four)));
  });

  it("turns a year-less birthday 3.0 → 4.0 → 3.0 into Apple's form and back", () => {
    const contact = parseOne(card("3.0", "UID:b", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15"));
    expect(contact.singles.BDAY).toEqual({
      name: "bday",
      params: {},
      type: "date-and-or-time",
      values: ["--04-15"],
    });
    const four = serializeVCard(contact, "4.0");
    expect(four).toContain("\r\nBDAY:--0415\r\n");
    const three = serializeVCard(parseOne(four), "3.0");
    expect(three).toContain("\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15\r\n");
  });

  it("writes inline and referenced photos per version", () => {
    const inline = parseOne(card("3.0", "UID:p", "PHOTO;ENCODING=b;TYPE=PNG:iVBORw0K"));
    expect(inline.singles.PHOTO?.values).toEqual(["data:image/png;base64,iVBORw0K"]);
    expect(serializeVCard(inline, "4.0")).toContain("\r\nPHOTO:data:image/png;base64,iVBORw0K\r\n");
    expect(serializeVCard(inline, "3.0")).toContain("\r\nPHOTO;ENCODING=b;TYPE=PNG:iVBORw0K\r\n");
    const byUri = parseOne(card("4.0", "UID:p", "PHOTO:https://example.com/a.jpg"));
    expect(serializeVCard(byUri, "3.0")).toContain("\r\nPHOTO;VALUE=uri:https://example.com/a.jpg\r\n");
    expectRoundTrips(inline);
    expectRoundTrips(byUri);
  });

  it("writes groups as KIND/MEMBER in 4.0 and Apple's properties in 3.0", () => {
    const group = parseOne(
      card("4.0", "UID:g", "FN:Team", "KIND:group", "MEMBER:urn:uuid:a", "MEMBER:urn:uuid:b"),
    );
    const three = serializeVCard(group, "3.0");
    expect(three).toContain("\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n");
    expect(three).toContain(
      "\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:a\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:b\r\n",
    );
    expectRoundTrips(group);
  });

  it("lower-cases TYPE values so CELL and cell are equal", () => {
    expect(parseOne(card("3.0", "UID:t", "TEL;TYPE=CELL:1"))).toEqual(
      parseOne(card("3.0", "UID:t", "TEL;TYPE=cell:1")),
    );
  });

  it("keeps vendor properties and parameters verbatim", () => {
    const contact = parseOne(
      card("3.0", "UID:v", "X-EVOLUTION-FILE-AS:Doe\\, John", 'X-CUSTOM;X-P="a,b";X-Q=1;X-Q=2:raw;text'),
    );
    expect(contact.entries.map((e) => e.props[0])).toEqual([
      { name: "x-evolution-file-as", params: {}, type: "unknown", values: ["Doe\\, John"] },
      {
        name: "x-custom",
        params: { "x-p": "a,b", "x-q": ["1", "2"] },
        type: "unknown",
        values: ["raw;text"],
      },
    ]);
    expect(serializeVCard(contact)).toContain('\r\nX-CUSTOM;X-P="a,b";X-Q=1;X-Q=2:raw;text\r\n');
    expectRoundTrips(contact);
  });

  it("puts the first NOTE in note, further NOTEs and repeated singles in entries", () => {
    const contact = parseOne(card("3.0", "NOTE:one\\ntwo\\, three\\; four", "NOTE:again", "FN:A", "FN:B"));
    expect(contact.uid).toBe("");
    expect(contact.note).toBe("one\ntwo, three; four");
    expect(contact.singles.FN?.values).toEqual(["A"]);
    expect(contact.entries.map((e) => e.props[0]?.values)).toEqual([["again"], ["B"]]);
    expectRoundTrips(contact);
  });
});

describe("vCard 2.1", () => {
  const v21 = card(
    "2.1",
    "UID:old",
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;",
    "TEL;CELL;VOICE:+49 170 1",
    "TEL;WORK;PREF:+49 30 2",
    "NOTE;ENCODING=QUOTED-PRINTABLE:line 1=0D=0Aline 2, with comma; and =",
    "more",
    "PHOTO;ENCODING=BASE64;TYPE=GIF:",
    " R0lGODlh",
    " AQABAAAAACw=",
    "",
    "EMAIL;INTERNET:j@example.com",
  );

  it("reads quoted-printable, bare types and base64 bodies", () => {
    const contact = parseOne(v21);
    expect(contact.version).toBe("2.1");
    expect(contact.singles.N?.values).toEqual([["Müller", "Jürgen", "", "", ""]]);
    expect(contact.note).toBe("line 1\nline 2, with comma; and more");
    expect(contact.entries.map((e) => e.props[0]?.params)).toEqual([
      { type: ["cell", "voice"] },
      { type: "work", pref: "1" },
      { type: "internet" },
    ]);
    expect(contact.singles.PHOTO?.values).toEqual(["data:image/gif;base64,R0lGODlhAQABAAAAACw="]);
  });

  it("is written as 3.0 by default", () => {
    const contact = parseOne(v21);
    const text = serializeVCard(contact);
    expect(text).toMatch(/^BEGIN:VCARD\r\nVERSION:3\.0\r\n/);
    expect(text).toContain("\r\nNOTE:line 1\\nline 2\\, with comma\\; and more\r\n");
    expectRoundTrips(contact);
  });
});

describe("malformed input", () => {
  const good = (uid: string) => card("3.0", `UID:${uid}`, "FN:ok");

  it("reports a card without END:VCARD and parses its neighbours", () => {
    const text = `${good("a")}BEGIN:VCARD\r\nVERSION:3.0\r\nFN:broken\r\n${good("c")}`;
    const { cards, errors } = parseVCards(text, "book.vcf");
    expect(cards.map((c) => [c.contact.uid, c.line])).toEqual([
      ["a", 1],
      ["c", 9],
    ]);
    expect(errors).toEqual([{ where: "book.vcf:6", message: expect.stringMatching(/END:VCARD/) }]);
  });

  it("reports a garbage line with the card's BEGIN line", () => {
    const text = `${good("a")}\r\n${card("3.0", "UID:b", "this is garbage")}${good("c")}`;
    const { cards, errors } = parseVCards(text, "book.vcf");
    expect(cards.map((c) => c.contact.uid)).toEqual(["a", "c"]);
    expect(errors).toEqual([
      { where: "book.vcf:7", message: expect.stringMatching(/line 10: not a property/) },
    ]);
  });

  it("reports bad escaping and an unterminated quoted parameter", () => {
    const text = `${card("3.0", "UID:a", "NOTE:ends in \\")}${card("3.0", 'TEL;TYPE="cell:1')}${good("c")}`;
    const { cards, errors } = parseVCards(text, "book.vcf");
    expect(cards.map((c) => c.contact.uid)).toEqual(["c"]);
    expect(errors).toEqual([
      { where: "book.vcf:1", message: expect.stringMatching(/line 4: bad escaping/) },
      { where: "book.vcf:6", message: expect.stringMatching(/line 8: unterminated quoted value/) },
    ]);
  });

  it("reports text outside any card and an unsupported version", () => {
    const { cards, errors } = parseVCards(`junk\n${card("5.0", "UID:x")}${good("b")}`, "book.vcf");
    expect(cards.map((c) => c.contact.uid)).toEqual(["b"]);
    expect(errors.map((e) => e.where)).toEqual(["book.vcf:1", "book.vcf:2"]);
  });
});

describe("line handling", () => {
  it("unfolds, accepts LF and blank lines between cards", () => {
    const text =
      "BEGIN:VCARD\nVERSION:3.0\nUID:a\nFN:Long\n  name\nEND:VCARD\n\n\nBEGIN:VCARD\nVERSION:4.0\nUID:b\nEND:VCARD";
    const { cards } = parseVCards(text, "lf.vcf");
    expect(cards.map((c) => [c.contact.uid, c.line, c.contact.singles.FN?.values[0]])).toEqual([
      ["a", 1, "Long name"],
      ["b", 9, undefined],
    ]);
  });

  it("folds at 75 octets without splitting UTF-8 sequences", () => {
    const name = "Zoë Ångström 日本語の名前 😀 ".repeat(6);
    const contact = parseOne(card("4.0", "UID:u", `FN:${name}`));
    const text = serializeVCard(contact);
    const lines = text.split("\r\n");
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      expect(line).not.toContain("\uFFFD");
    }
    expect(Buffer.from(text).toString()).toBe(text);
    expect(parseOne(text).singles.FN?.values).toEqual([name]);
  });

  it("folds a long base64 PHOTO at 75 octets, then 74 after the leading space", () => {
    const base64 = Buffer.from(Array.from({ length: 4500 }, (_, i) => i % 256)).toString("base64");
    const contact = parseOne(card("3.0", "UID:p", `PHOTO;ENCODING=b;TYPE=JPEG:${base64}`));
    const lines = serializeVCard(contact, "3.0").split("\r\n");
    const start = lines.findIndex((l) => l.startsWith("PHOTO"));
    const end = lines.findIndex((l, i) => i > start && !l.startsWith(" "));
    expect(lines.slice(start, end - 1).map((l) => l.length)).toEqual(Array(end - 1 - start).fill(75));
    expect(lines.slice(start, end).join("").replace(/ /g, "")).toBe(`PHOTO;ENCODING=b;TYPE=JPEG:${base64}`);
    expect(parseOne(serializeVCard(contact, "3.0")).singles.PHOTO?.values).toEqual([
      `data:image/jpeg;base64,${base64}`,
    ]);
  });

  it("rejects a value ending in an odd number of backslashes", () => {
    const ending = (count: number) =>
      parseVCards(card("3.0", "UID:b", `NOTE:x${"\\".repeat(count)}`), "b.vcf");
    expect(ending(3).errors.map((e) => e.message)).toEqual([
      "malformed vCard: line 4: bad escaping: the value ends in a lone backslash",
    ]);
    expect(ending(4).cards[0]?.contact.note).toBe("x\\\\");
  });
});

describe("splitVCards", () => {
  it("returns each card's exact text, line and UID without parsing values", () => {
    const first = card("3.0", "UID:one\\,1", "FN:a");
    const second = "BEGIN:VCARD\nVERSION:4.0\nFN:b\nU\n ID:two\nEND:VCARD\n";
    const third = "BEGIN:VCARD\nFN:no uid\nEND:VCARD\n";
    expect(splitVCards(`${first}\r\n${second}${third}`)).toEqual([
      { text: first, line: 1, uid: "one,1" },
      { text: second, line: 7, uid: "two" },
      { text: third, line: 13, uid: "" },
    ]);
  });
});
