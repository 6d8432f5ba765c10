import { mkdir, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readAddressBook } from "../adapters/contacts/ios/read.js";
import { openAddressBook } from "../adapters/contacts/ios/schema.js";
import { writeContact } from "../adapters/contacts/ios/write.js";
import type { Contact, VProp } from "../adapters/contacts/model.js";
import { parseVCards, serializeVCard } from "../adapters/contacts/vcard.js";
import { type SyncEndpointsResult, syncEndpoints } from "../api/sync.js";
import { createVirtualDevice } from "../device/virtual/create.js";
import { devicePath } from "../device/virtual/layout.js";
import { COMPUTER_CONTACTS, NEW_ON_PHONE, PHONE_CONTACTS } from "./samples.js";

export interface DemoStep {
  title: string;
  result?: SyncEndpointsResult;
}

/**
 * The contacts demo: a virtual iPhone (its real AddressBook.sqlitedb) and a computer side (a
 * vdir, as khard keeps one), a first sync, edits on both sides, a second sync. Returns each step
 * so the CLI can tell it in words.
 */
export async function runContactsDemo(dir: string): Promise<DemoStep[]> {
  await rm(dir, { recursive: true, force: true });
  const phone = join(dir, "iphone");
  const computer = join(dir, "computer");
  await createVirtualDevice(phone, { name: "Demo iPhone", sample: 0, seed: "demo" });
  onPhone(phone, (db) => {
    for (const text of Object.values(PHONE_CONTACTS)) writeContact(db, parse(text));
  });
  await mkdir(computer, { recursive: true });
  for (const [name, text] of Object.entries(COMPUTER_CONTACTS))
    await writeFile(join(computer, name), crlf(text));
  const stateFile = join(dir, "state", "contacts.sqlite");
  const run = () =>
    syncEndpoints({ domain: "contacts", endpoints: [`ios:${phone}`, `vdir:${computer}`], stateFile });

  const steps: DemoStep[] = [
    {
      title: `Made a virtual iPhone (${phone}, its AddressBook.sqlitedb in the real iOS schema) with ${Object.keys(PHONE_CONTACTS).length} contacts, and a computer side (${computer}) that already knows Anna under another UID.`,
    },
  ];
  steps.push({
    title: "First sync: contacts are matched by UID, then by name plus phone or email.",
    result: await run(),
  });

  await new Promise((resolve) => setTimeout(resolve, 1100)); // ModificationDate counts whole seconds
  onPhone(phone, (db) => {
    const stored = readAddressBook(db).contacts;
    const byName = (fn: string) => stored.find((s) => s.contact.singles.FN?.values[0] === fn);
    const edit = (fn: string, change: (c: Contact) => void) => {
      const found = byName(fn);
      if (!found) throw new Error(`demo: ${fn} is not on the phone`);
      change(found.contact);
      writeContact(db, found.contact, found.rowid);
    };
    edit("Anna Meyer", (c) => {
      c.entries.push({ props: [prop("tel", "text", "+49 170 5550 0199", { type: ["cell"] })] });
      c.note = `${c.note} Prefers Signal.`;
    });
    edit("Ben Okafor", (c) => {
      c.singles.TITLE = prop("title", "text", "CTO");
    });
    edit("Carla Rossi", (c) => {
      c.entries.push({ props: [prop("email", "text", "carla@rossi.example", { type: ["internet"] })] });
    });
    writeContact(db, parse(NEW_ON_PHONE));
  });
  const annaOnComputer = await findFile(computer, "Anna Meyer");
  const benOnComputer = await findFile(computer, "Ben Okafor");
  await editFile(annaOnComputer, (c) => {
    c.note = `Architect. ${c.note}`;
    c.singles.TITLE = prop("title", "text", "Partner");
  });
  await editFile(benOnComputer, (c) => {
    c.singles.TITLE = prop("title", "text", "VP Engineering");
  });
  const later = new Date(Date.now() + 60_000);
  await utimes(benOnComputer, later, later);
  await rm(await findFile(computer, "Carla Rossi"));
  steps.push({
    title: [
      "Edited both sides:",
      "  iPhone:   Anna gets a mobile number and a line added to her note; Ben's title becomes CTO;",
      "            Carla gets an email address; Dan is new.",
      "  computer: Anna's note gets a line at the front and she gets a title; Ben's title becomes",
      "            VP Engineering (a minute later); Carla is deleted.",
    ].join("\n"),
  });
  steps.push({ title: "Second sync:", result: await run() });
  steps.push({
    title: "Third sync, nothing changed: nothing is read, parsed or written.",
    result: await run(),
  });
  return steps;
}

/** Edits the phone's AddressBook as the Contacts app would, one transaction per contact. */
function onPhone(phone: string, edit: (db: ReturnType<typeof openAddressBook>) => void): void {
  const db = openAddressBook(devicePath(phone, "addressBook"));
  try {
    edit(db);
  } finally {
    db.close();
  }
}

function parse(text: string): Contact {
  const card = parseVCards(text, "demo").cards[0];
  if (!card) throw new Error("demo: a sample vCard does not parse");
  return card.contact;
}

function crlf(text: string): string {
  return text.replace(/\n/g, "\r\n");
}

async function findFile(dir: string, fn: string): Promise<string> {
  for (const name of await readdir(dir)) {
    const text = await readFile(join(dir, name), "utf8");
    if (text.includes(`FN:${fn}`)) return join(dir, name);
  }
  throw new Error(`demo: ${fn} not found in ${dir}`);
}

async function editFile(path: string, change: (c: Contact) => void): Promise<void> {
  const contact = parse(await readFile(path, "utf8"));
  change(contact);
  await writeFile(path, serializeVCard(contact));
}

function prop(name: string, type: string, value: string, params: VProp["params"] = {}): VProp {
  return { name, params, type, values: [value] };
}
