/**
 * Realistic sample contacts for the virtual iPhone, drawn from a seeded Random: names from
 * several countries (some with accents), phones in the local format with built-in labels
 * (`_$!<Mobile>!$_`) and custom ones, e-mail addresses, a postal address, birthdays with and
 * without a year, notes and the odd company card. The entries take the shape the AddressBook
 * reader produces (a TYPE for built-in labels, the label itself in X-ABLabel).
 */
import { builtInLabel } from "../../adapters/contacts/ios/labels.js";
import type { Contact, ContactEntry, VProp } from "../../adapters/contacts/model.js";
import type { Random } from "./random.js";

interface Locale {
  first: string[];
  last: string[];
  cities: { city: string; state: string; zip: (r: Random) => string; streets: string[] }[];
  country: string;
  countryCode: string;
  /** "94 S Congress Ave" rather than "Oranienstraße 94". */
  numberFirst: boolean;
  phone: (r: Random) => string;
  mailDomains: string[];
}

const digits = (r: Random, n: number) => Array.from({ length: n }, () => r.int(0, 9)).join("");

const LOCALES: Locale[] = [
  {
    first: ["Olivia", "Liam", "Ava", "Noah", "Mia", "Ethan", "Harper", "Lucas", "Zoë", "Mateo"],
    last: ["Johnson", "Nguyen", "Garcia", "Smith", "O'Brien", "Kowalski", "Patel", "Rivera"],
    cities: [
      {
        city: "Portland",
        state: "OR",
        zip: (r) => `972${digits(r, 2)}`,
        streets: ["SE Hawthorne Blvd", "NW 23rd Ave"],
      },
      {
        city: "Austin",
        state: "TX",
        zip: (r) => `787${digits(r, 2)}`,
        streets: ["S Congress Ave", "E 6th St"],
      },
    ],
    country: "United States",
    countryCode: "us",
    numberFirst: true,
    phone: (r) => `+1 (${r.int(201, 989)}) ${r.int(200, 999)}-${digits(r, 4)}`,
    mailDomains: ["gmail.com", "icloud.com", "outlook.com"],
  },
  {
    first: ["Lena", "Jonas", "Sophie", "Lukas", "Marie", "Felix", "Jürgen", "Anna"],
    last: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann"],
    cities: [
      {
        city: "Berlin",
        state: "",
        zip: (r) => `10${digits(r, 3)}`,
        streets: ["Oranienstraße", "Kastanienallee"],
      },
      {
        city: "München",
        state: "",
        zip: (r) => `80${digits(r, 3)}`,
        streets: ["Leopoldstraße", "Sendlinger Straße"],
      },
    ],
    country: "Germany",
    countryCode: "de",
    numberFirst: false,
    phone: (r) => `+49 ${r.pick(["151", "160", "176"])} ${digits(r, 8)}`,
    mailDomains: ["web.de", "gmx.de", "posteo.de"],
  },
  {
    first: ["Camille", "Louis", "Chloé", "Hugo", "Léa", "Théo", "Inès"],
    last: ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent"],
    cities: [
      {
        city: "Lyon",
        state: "",
        zip: (r) => `6900${r.int(1, 9)}`,
        streets: ["Rue de la République", "Quai Saint-Antoine"],
      },
    ],
    country: "France",
    countryCode: "fr",
    numberFirst: true,
    phone: (r) => `+33 6 ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}`,
    mailDomains: ["orange.fr", "free.fr", "laposte.net"],
  },
  {
    first: ["Yuki", "Haruto", "Sakura", "Ren", "Aoi"],
    last: ["Tanaka", "Suzuki", "Takahashi", "Watanabe", "Itō"],
    cities: [
      {
        city: "Tokyo",
        state: "Tokyo",
        zip: (r) => `150-00${digits(r, 2)}`,
        streets: ["Jingumae 1-chome", "Shibuya 2-chome"],
      },
    ],
    country: "Japan",
    countryCode: "jp",
    numberFirst: false,
    phone: (r) => `+81 90-${digits(r, 4)}-${digits(r, 4)}`,
    mailDomains: ["docomo.ne.jp", "gmail.com"],
  },
];

const COMPANIES = ["Northwind Traders", "Blue Bottle Bakery", "Acme Robotics", "Fjord & Pine", "Lumen Labs"];
const TITLES = ["Product Designer", "Nurse", "Software Engineer", "Teacher", "Architect", "Sales Lead"];
const DEPARTMENTS = ["Research", "Operations", "Customer Success"];
const CUSTOM_PHONE_LABELS = ["Boat", "Grandma's", "Signal", "Studio"];
const CUSTOM_EMAIL_LABELS = ["School", "Newsletter"];
const NOTES = [
  "Met at the climbing gym.",
  "Allergic to peanuts.\nPrefers text over calls.",
  "Spare key: under the blue pot.",
  "Book club — first Thursday of the month.",
];

const BUILT_IN_PHONE: Record<string, string | string[]> = {
  Mobile: "cell",
  iPhone: "iphone",
  Home: "home",
  Work: "work",
  Main: "main",
  HomeFAX: ["home", "fax"],
};
const BUILT_IN_ADDRESS: Record<string, string> = { Home: "home", Work: "work" };

const prop = (name: string, type: string, value: unknown, params: VProp["params"] = {}): VProp => ({
  name,
  params,
  type,
  values: [value],
});

/** A multi-value: the main property, the stored label in X-ABLabel, and the TYPE a built-in label implies. */
function labelled(main: VProp, label: string, type?: string | string[], extra: VProp[] = []): ContactEntry {
  if (type !== undefined) main.params = { type, ...main.params };
  return { props: [main, ...extra, prop("x-ablabel", "unknown", label)] };
}

const ascii = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();

const pad = (n: number) => String(n).padStart(2, "0");

function phones(r: Random, locale: Locale): ContactEntry[] {
  const count = r.int(1, 3);
  const labels = ["Mobile", ...Object.keys(BUILT_IN_PHONE).filter((l) => l !== "Mobile")];
  const entries: ContactEntry[] = [];
  for (let i = 0; i < count; i++) {
    const custom = i > 0 && r.chance(0.3);
    const label = custom ? r.pick(CUSTOM_PHONE_LABELS) : i === 0 ? "Mobile" : r.pick(labels.slice(1));
    const tel = prop("tel", "text", locale.phone(r));
    entries.push(custom ? labelled(tel, label) : labelled(tel, builtInLabel(label), BUILT_IN_PHONE[label]));
  }
  return entries;
}

function emails(r: Random, locale: Locale, first: string, last: string, company: string | undefined) {
  const entries: ContactEntry[] = [];
  const user = `${ascii(first)}.${ascii(last)}`;
  if (r.chance(0.85))
    entries.push(
      labelled(prop("email", "text", `${user}@${r.pick(locale.mailDomains)}`), builtInLabel("Home"), "home"),
    );
  if (company && r.chance(0.7))
    entries.push(
      labelled(
        prop("email", "text", `${ascii(first)}@${ascii(company)}.example`),
        builtInLabel("Work"),
        "work",
      ),
    );
  if (r.chance(0.15))
    entries.push(
      labelled(prop("email", "text", `${user}${r.int(1, 99)}@icloud.com`), r.pick(CUSTOM_EMAIL_LABELS)),
    );
  return entries;
}

function address(r: Random, locale: Locale): ContactEntry {
  const place = r.pick(locale.cities);
  const [name, number] = [r.pick(place.streets), r.int(1, 240)];
  const street = locale.numberFirst ? `${number} ${name}` : `${name} ${number}`;
  const label = r.pick(Object.keys(BUILT_IN_ADDRESS));
  const adr = prop("adr", "text", ["", "", street, place.city, place.state, place.zip(r), locale.country]);
  return labelled(adr, builtInLabel(label), BUILT_IN_ADDRESS[label], [
    prop("x-abadr", "unknown", locale.countryCode),
  ]);
}

function birthday(r: Random): string | undefined {
  const roll = r.next();
  if (roll > 0.6) return undefined;
  const month = r.int(1, 12);
  const day = r.int(1, 28);
  // About one birthday in four is stored without a year, as iOS allows.
  return roll < 0.15 ? `--${pad(month)}-${pad(day)}` : `${r.int(1950, 2008)}-${pad(month)}-${pad(day)}`;
}

function person(r: Random, uid: string): Contact {
  const locale = r.pick(LOCALES);
  const first = r.pick(locale.first);
  const last = r.pick(locale.last);
  const company = r.chance(0.5) ? r.pick(COMPANIES) : undefined;
  const singles: Record<string, VProp> = {
    FN: prop("fn", "text", `${first} ${last}`),
    N: prop("n", "text", [last, first, "", "", ""]),
  };
  if (company) {
    singles.ORG = prop("org", "text", r.chance(0.3) ? [company, r.pick(DEPARTMENTS)] : [company]);
    singles.TITLE = prop("title", "text", r.pick(TITLES));
  }
  const bday = birthday(r);
  if (bday) singles.BDAY = prop("bday", "date-and-or-time", bday);
  const entries = [...phones(r, locale), ...emails(r, locale, first, last, company)];
  if (r.chance(0.6)) entries.push(address(r, locale));
  return { uid, version: "3.0", singles, note: r.chance(0.3) ? r.pick(NOTES) : "", entries };
}

/** A business card: Kind 1 in ABPerson, X-ABShowAs:COMPANY in a vCard. */
function business(r: Random, uid: string): Contact {
  const locale = r.pick(LOCALES);
  const name = r.pick(COMPANIES);
  return {
    uid,
    version: "3.0",
    singles: {
      FN: prop("fn", "text", name),
      ORG: prop("org", "text", [name]),
      "X-ABSHOWAS": prop("x-abshowas", "unknown", "COMPANY"),
    },
    note: "",
    entries: [
      labelled(prop("tel", "text", locale.phone(r)), builtInLabel("Main"), "main"),
      // HomePage is built in but has no vCard TYPE.
      labelled(prop("url", "uri", `https://${ascii(name)}.example`), builtInLabel("HomePage")),
      address(r, locale),
    ],
  };
}

/** `count` contacts; every tenth is a company card. */
export function sampleContacts(r: Random, count: number): Contact[] {
  return Array.from({ length: count }, (_, i) =>
    i % 10 === 9 ? business(r, r.uuid()) : person(r, r.uuid()),
  );
}
