/**
 * ABPerson's own columns to and from the model's single properties and note.
 *
 * FN is composed on read (Prefix First Middle Last Suffix, else the organization) because
 * ABPerson stores no display name for ordinary cards; on write FN only fills First when the
 * contact has neither N nor ORG. Kind 1 (a company card) is Apple's X-ABShowAs:COMPANY.
 */
import type { Contact, VProp } from "../model.js";
import { dateFromCoreData, dateToCoreData } from "./dates.js";

/** The ABPerson columns Cradle reads and writes; everything else in the row is left alone. */
export const PERSON_COLUMNS = [
  "First",
  "Last",
  "Middle",
  "Prefix",
  "Suffix",
  "Nickname",
  "Organization",
  "Department",
  "JobTitle",
  "Birthday",
  "Note",
  "Kind",
  "FirstPhonetic",
  "MiddlePhonetic",
  "LastPhonetic",
] as const;

export type PersonColumns = Record<(typeof PERSON_COLUMNS)[number], string | number | null>;

const PHONETIC = {
  FirstPhonetic: "X-PHONETIC-FIRST-NAME",
  MiddlePhonetic: "X-PHONETIC-MIDDLE-NAME",
  LastPhonetic: "X-PHONETIC-LAST-NAME",
} as const;

const COMPANY = "COMPANY";

const str = (value: string | number | null): string => (value === null ? "" : String(value));
const textProp = (name: string, value: unknown, type = "text"): VProp => ({
  name,
  params: {},
  type,
  values: [value],
});

export function composeFullName(c: PersonColumns): string {
  const name = [c.Prefix, c.First, c.Middle, c.Last, c.Suffix].map(str).filter(Boolean).join(" ");
  return name || str(c.Organization) || str(c.Nickname);
}

export function columnsToContact(c: PersonColumns, uid: string): { contact: Contact; error?: string } {
  const singles: Record<string, VProp> = {};
  let error: string | undefined;
  singles.FN = textProp("fn", composeFullName(c));
  const n = [c.Last, c.First, c.Middle, c.Prefix, c.Suffix].map(str);
  if (n.some(Boolean)) singles.N = textProp("n", n);
  if (c.Nickname) singles.NICKNAME = textProp("nickname", str(c.Nickname));
  if (c.Organization || c.Department)
    singles.ORG = textProp(
      "org",
      [str(c.Organization), str(c.Department)].filter((v, i) => i === 0 || v),
    );
  if (c.JobTitle) singles.TITLE = textProp("title", str(c.JobTitle));
  if (c.Birthday !== null && c.Birthday !== "") {
    const date = dateFromCoreData(str(c.Birthday));
    if (date === undefined) error = `Birthday "${str(c.Birthday)}" is not a Core Data date`;
    else singles.BDAY = textProp("bday", date, "date-and-or-time");
  }
  for (const [column, name] of Object.entries(PHONETIC)) {
    const value = c[column as keyof typeof PHONETIC];
    if (value) singles[name] = textProp(name.toLowerCase(), str(value), "unknown");
  }
  if (c.Kind === 1) singles["X-ABSHOWAS"] = textProp("x-abshowas", COMPANY, "unknown");
  const contact: Contact = { uid, version: "3.0", singles, note: str(c.Note), entries: [] };
  return error === undefined ? { contact } : { contact, error };
}

const component = (value: unknown, index: number): string => {
  const list = Array.isArray(value) ? value : [value];
  const part = list[index];
  return Array.isArray(part) ? part.join(" ") : String(part ?? "");
};
const orNull = (value: string): string | null => (value === "" ? null : value);
const firstValue = (p: VProp | undefined): unknown => p?.values[0];

export function contactToColumns(contact: Contact): PersonColumns {
  const s = contact.singles;
  const n = firstValue(s.N);
  const org = firstValue(s.ORG);
  const showAs = String(firstValue(s["X-ABSHOWAS"]) ?? "").toUpperCase();
  const kind = showAs === COMPANY || String(firstValue(s.KIND) ?? "").toLowerCase() === "org" ? 1 : 0;
  const bday = firstValue(s.BDAY);
  const fullName = String(firstValue(s.FN) ?? "");
  const columns: PersonColumns = {
    First: orNull(component(n, 1)),
    Last: orNull(component(n, 0)),
    Middle: orNull(component(n, 2)),
    Prefix: orNull(component(n, 3)),
    Suffix: orNull(component(n, 4)),
    Nickname: orNull(s.NICKNAME ? s.NICKNAME.values.map(String).join(",") : ""),
    Organization: orNull(component(org, 0)),
    Department: orNull(Array.isArray(org) ? org.slice(1).map(String).join(";") : ""),
    JobTitle: orNull(String(firstValue(s.TITLE) ?? "")),
    Birthday: bday === undefined ? null : (dateToCoreData(String(bday)) ?? null),
    Note: orNull(contact.note),
    Kind: kind,
    FirstPhonetic: null,
    MiddlePhonetic: null,
    LastPhonetic: null,
  };
  for (const [column, name] of Object.entries(PHONETIC))
    columns[column as keyof typeof PHONETIC] = orNull(String(firstValue(s[name]) ?? ""));
  const hasName = [columns.First, columns.Last, columns.Middle, columns.Prefix, columns.Suffix].some(
    (v) => v !== null,
  );
  if (!hasName && columns.Organization === null && fullName !== "") columns.First = fullName;
  return columns;
}
