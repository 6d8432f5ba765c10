import { describe, expect, it } from "vitest";
import {
  entryToRow,
  type MultiValueRow,
  rowToEntry,
} from "../../../src/adapters/contacts/ios/multivalues.js";
import { phoneLastFour } from "../../../src/adapters/contacts/ios/write-multivalues.js";

const rows: MultiValueRow[] = [
  { property: 3, identifier: 0, label: "_$!<HomeFAX>!$_", value: "+1 555 0100", entries: {} },
  { property: 4, identifier: 2, label: "school", value: "a@b.c", entries: {} },
  {
    property: 5,
    identifier: 0,
    label: null,
    value: null,
    entries: { Street: "1 Main St\nFlat 2", City: "Springfield", CountryCode: "us" },
  },
  { property: 12, identifier: 0, label: "_$!<Anniversary>!$_", value: "-11644430400", entries: {} },
  {
    property: 13,
    identifier: 0,
    label: "_$!<Home>!$_",
    value: null,
    entries: { service: "Skype", username: "ada.l" },
  },
  { property: 22, identifier: 1, label: "_$!<HomePage>!$_", value: "https://example.org", entries: {} },
  { property: 23, identifier: 0, label: "_$!<Spouse>!$_", value: "William", entries: {} },
  {
    property: 46,
    identifier: 0,
    label: null,
    value: null,
    entries: { service: "Twitter", username: "ada", url: "https://twitter.com/ada" },
  },
];

describe("ABMultiValue rows ↔ model entries", () => {
  it.each(rows.map((row) => [row.property, row] as const))(
    "property %i survives the round trip",
    (_, row) => {
      const entry = rowToEntry(row);
      expect(entry).toBeDefined();
      expect(entryToRow(entry as NonNullable<typeof entry>)).toEqual(row);
    },
  );

  it("gives TEL fax labels two TYPE values, as Apple's vCards do", () => {
    expect(rowToEntry(rows[0] as MultiValueRow)?.props[0]?.params).toEqual({ type: ["home", "fax"] });
  });

  it("takes the label from TYPE when there is no X-ABLabel", () => {
    const row = entryToRow({
      props: [{ name: "tel", params: { type: ["CELL", "voice"] }, type: "text", values: ["1"] }],
    });
    expect(row?.label).toBe("_$!<Mobile>!$_");
    expect(row?.identifier).toBeUndefined();
  });

  it("leaves out what AddressBook cannot hold", () => {
    expect(
      entryToRow({ props: [{ name: "x-custom", params: {}, type: "unknown", values: ["v"] }] }),
    ).toBeUndefined();
  });

  it("computes ABPhoneLastFour like iOS, letters as keypad digits", () => {
    expect(phoneLastFour("(919) 888-7386")).toBe("7386");
    expect(phoneLastFour("1-800-MY-APPLE")).toBe("7753");
  });
});
