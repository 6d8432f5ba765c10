import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Rng } from "./prng.js";
import { escapeText, toText } from "./vcf-lines.js";

/** Deterministic Apple-style vCard 3.0 contacts, one .vcf per contact in a vdir. */

const FIRST = [
  "Anna",
  "Ben",
  "Chloé",
  "David",
  "Émilie",
  "Farid",
  "Greta",
  "Hiroshi",
  "Ingrid",
  "João",
  "Katarzyna",
  "Lars",
  "María",
  "Nikolai",
  "Olga",
  "Pierre",
  "Quentin",
  "Rosa",
  "Søren",
  "Tomás",
  "Uma",
  "Valentina",
  "Wei",
  "Xavier",
  "Yara",
  "Zoë",
  "Ahmed",
  "Björn",
  "Carmen",
  "Dmitri",
  "Elif",
  "François",
  "Gül",
  "Hannah",
  "Ivan",
  "Jürgen",
  "Kenji",
  "Lucía",
  "Mehmet",
  "Noémie",
];
const LAST = [
  "Müller",
  "García",
  "Smith",
  "Nguyen",
  "Kowalski",
  "Rossi",
  "Dubois",
  "Andersson",
  "Yamamoto",
  "O'Brien",
  "Fernández",
  "Schmidt",
  "Novák",
  "Jensen",
  "Petrov",
  "Silva",
  "Öztürk",
  "Lefèvre",
  "Johnson",
  "Kim",
  "Van der Berg",
  "Łukasik",
  "Brown",
  "Nakamura",
  "Popescu",
  "Hansen",
  "Wójcik",
  "Moreau",
  "Costa",
  "Ivanova",
  "Taylor",
  "Zhang",
  "Dupont",
  "Horváth",
  "Eriksson",
];
const ORGS = [
  "Acme Corp",
  "Globex GmbH",
  "Initech",
  "Umbrella Ltd.",
  "Stark Industries",
  "Café Müller",
  "Hôpital Saint-Louis",
  "Universidad de Sevilla",
  "Nordisk Design A/S",
  "Tanaka Shōji",
];
const TITLES = ["Engineer", "Manager", "Director", "Designer", "Nurse", "Professor", "Consultant", "CEO"];
const TEL_TYPES = [
  "type=CELL;type=VOICE",
  "type=HOME;type=VOICE",
  "type=WORK;type=VOICE",
  "type=IPHONE;type=CELL;type=VOICE",
  "type=MAIN",
  "type=HOME;type=FAX",
];
const EMAIL_TYPES = ["type=INTERNET;type=HOME", "type=INTERNET;type=WORK", "type=INTERNET"];
const LABELS = ["_$!<Other>!$_", "_$!<HomePage>!$_", "school", "Verein", "私用"];
const DOMAINS = ["example.com", "mail.example.org", "icloud.example", "firma.example.de"];
const STREETS = ["Hauptstraße", "Rue de Rivoli", "Calle Mayor", "Main Street", "Storgatan", "Via Roma"];
const CITIES: [string, string, string, string][] = [
  ["Berlin", "", "10115", "Germany"],
  ["Paris", "", "75001", "France"],
  ["Madrid", "", "28013", "Spain"],
  ["Cupertino", "CA", "95014", "United States"],
  ["Göteborg", "", "411 01", "Sweden"],
  ["Zürich", "ZH", "8001", "Switzerland"],
];
const NOTE_LINES = [
  "Met at the conference in Lyon.",
  "Allergic to peanuts — remember for dinner!",
  "Kinder: Lena & Max. Geburtstag im März.",
  "Prefers Signal over SMS; call after 18:00.",
  "会議の後で連絡すること。",
  "Owes me a book: «Cien años de soledad».",
  "Gate code 4711, 2nd floor, door on the left.",
  "Emoji test 🎉 and ümlauts äöü.",
];
const SOCIAL = ["twitter", "linkedin", "facebook", "flickr"];
const IMPP = ["Skype", "Jabber", "ICQ", "Facebook"];

export interface Generated {
  uids: string[];
  bytes: number;
}

function uuid(rng: Rng): string {
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-A${rng.hex(3)}-${rng.hex(12)}`;
}

function phone(rng: Rng): string {
  return `+${rng.int(1, 49)} ${rng.int(100, 999)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`;
}

/** A JPEG-shaped blob: SOI, a JFIF APP0 header, random scan data, EOI. Not decodable, right size. */
function fakeJpeg(rng: Rng): string {
  const head = Buffer.from("ffd8ffe000104a46494600010101004800480000", "hex");
  const body = rng.bytes(rng.int(1500, 4500));
  return Buffer.concat([head, body, Buffer.from("ffd9", "hex")]).toString("base64");
}

function note(rng: Rng): string {
  const n = rng.int(1, 4);
  return Array.from({ length: n }, () => rng.pick(NOTE_LINES)).join("\n");
}

export function contactLines(rng: Rng, index: number): { uid: string; lines: string[] } {
  const uid = uuid(rng);
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.4//EN"];
  lines.push(`N:${escapeText(last)};${escapeText(first)};;;`, `FN:${escapeText(`${first} ${last}`)}`);
  if (rng.chance(0.4)) {
    lines.push(`ORG:${escapeText(rng.pick(ORGS))};`);
    if (rng.chance(0.7)) lines.push(`TITLE:${rng.pick(TITLES)}`);
  }
  let item = 1;
  const user = `${first}.${last}`
    .normalize("NFD")
    .replace(/[^A-Za-z.]/g, "")
    .toLowerCase();
  for (let i = 0, n = rng.int(1, 3); i < n; i++) {
    const address = `${user}${i ? i : ""}${index}@${rng.pick(DOMAINS)}`;
    const pref = i === 0 ? ";type=pref" : "";
    if (rng.chance(0.3)) {
      lines.push(
        `item${item}.EMAIL;type=INTERNET${pref}:${address}`,
        `item${item}.X-ABLabel:${rng.pick(LABELS)}`,
      );
      item++;
    } else lines.push(`EMAIL;${rng.pick(EMAIL_TYPES)}${pref}:${address}`);
  }
  for (let i = 0, n = rng.int(1, 4); i < n; i++)
    lines.push(`TEL;${rng.pick(TEL_TYPES)}${i === 0 ? ";type=pref" : ""}:${phone(rng)}`);
  for (let i = 0, n = rng.int(0, 2); i < n; i++) {
    const [city, region, zip, country] = rng.pick(CITIES);
    const street = `${rng.pick(STREETS)} ${rng.int(1, 200)}`;
    const kind = i === 0 ? "HOME;type=pref" : "WORK";
    lines.push(`item${item}.ADR;type=${kind}:;;${escapeText(street)};${city};${region};${zip};${country}`);
    lines.push(`item${item}.X-ABADR:${country === "Germany" ? "de" : "us"}`);
    item++;
  }
  if (rng.chance(0.25)) {
    lines.push(`item${item}.URL;type=pref:https\\://www.${user || "x"}.example.net/`);
    lines.push(`item${item++}.X-ABLabel:_$!<HomePage>!$_`);
  }
  if (rng.chance(0.15))
    lines.push(`IMPP;X-SERVICE-TYPE=${rng.pick(IMPP)};type=HOME;type=pref:x-apple:${user}${index}`);
  if (rng.chance(0.2)) {
    const network = rng.pick(SOCIAL);
    lines.push(`X-SOCIALPROFILE;type=${network}:https://${network}.example.com/${user}${index}`);
  }
  if (rng.chance(0.5)) {
    const md = `${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
    if (rng.chance(0.2)) lines.push(`BDAY;X-APPLE-OMIT-YEAR=1604:1604-${md}`);
    else lines.push(`BDAY:${rng.int(1940, 2010)}-${md}`);
  }
  if (rng.chance(0.3)) lines.push(`NOTE:${escapeText(note(rng))}`);
  if (rng.chance(0.1)) lines.push(`PHOTO;ENCODING=b;TYPE=JPEG:${fakeJpeg(rng)}`);
  lines.push(`UID:${uid}`, "END:VCARD");
  return { uid, lines };
}

/** Writes `count` contacts to `dir` as UID.vcf files; the same seed gives the same bytes. */
export async function generateVdir(dir: string, count: number, seed: number): Promise<Generated> {
  await mkdir(dir, { recursive: true });
  const rng = new Rng(seed);
  const uids: string[] = [];
  let bytes = 0;
  const files: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    const { uid, lines } = contactLines(rng, i);
    const text = toText(lines);
    uids.push(uid);
    bytes += Buffer.byteLength(text);
    files.push([join(dir, `${uid}.vcf`), text]);
  }
  for (let i = 0; i < files.length; i += 200)
    await Promise.all(files.slice(i, i + 200).map(([path, text]) => writeFile(path, text)));
  return { uids, bytes };
}
