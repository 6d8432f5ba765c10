import { mkdir, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Contact, VProp } from "../adapters/contacts/model.js";
import { parseVCards, serializeVCard } from "../adapters/contacts/vcard.js";
import { type SyncEndpointsResult, syncEndpoints } from "../api/sync.js";
import { COMPUTER_CONTACTS, NEW_ON_PHONE, PHONE_CONTACTS } from "./samples.js";

export interface DemoStep {
  title: string;
  result?: SyncEndpointsResult;
}

/**
 * The contacts demo: a phone side and a computer side with sample contacts, a first sync, edits
 * on both sides, a second sync. Returns each step so the CLI can tell it in words.
 * (A vdir stands in for the phone until the virtual iPhone exists.)
 */
export async function runContactsDemo(dir: string): Promise<DemoStep[]> {
  await rm(dir, { recursive: true, force: true });
  const phone = join(dir, "phone");
  const computer = join(dir, "computer");
  await writeAll(phone, PHONE_CONTACTS);
  await writeAll(computer, COMPUTER_CONTACTS);
  const stateFile = join(dir, "state", "contacts.sqlite");
  const run = () =>
    syncEndpoints({ domain: "contacts", endpoints: [`vdir:${phone}`, `vdir:${computer}`], stateFile });

  const steps: DemoStep[] = [
    {
      title: `Made a phone side (${phone}) with ${Object.keys(PHONE_CONTACTS).length} contacts and a computer side (${computer}) that already knows Anna under another UID.`,
    },
  ];
  steps.push({
    title: "First sync: contacts are matched by UID, then by name plus phone or email.",
    result: await run(),
  });

  const annaOnComputer = await findFile(computer, "Anna Meyer");
  const benOnComputer = await findFile(computer, "Ben Okafor");
  const carlaOnComputer = await findFile(computer, "Carla Rossi");
  await edit(join(phone, "anna.vcf"), (c) => {
    c.entries.push({ props: [prop("tel", "phone-number", "+49 170 5550 0199", { type: ["cell"] })] });
    c.note = `${c.note} Prefers Signal.`;
  });
  await edit(annaOnComputer, (c) => {
    c.note = `Architect. ${c.note}`;
    c.singles.TITLE = prop("title", "text", "Partner");
  });
  await edit(join(phone, "ben.vcf"), (c) => {
    c.singles.TITLE = prop("title", "text", "CTO");
  });
  await edit(benOnComputer, (c) => {
    c.singles.TITLE = prop("title", "text", "VP Engineering");
  });
  const later = new Date(Date.now() + 60_000);
  await utimes(benOnComputer, later, later);
  await rm(carlaOnComputer);
  await edit(join(phone, "carla.vcf"), (c) => {
    c.entries.push({ props: [prop("email", "text", "carla@rossi.example", { type: ["internet"] })] });
  });
  await writeFile(join(phone, "dan.vcf"), NEW_ON_PHONE);
  steps.push({
    title: [
      "Edited both sides:",
      "  phone:    Anna gets a mobile number and a line added to her note; Ben's title becomes CTO;",
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

async function writeAll(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files))
    await writeFile(join(dir, name), text.replace(/\n/g, "\r\n"));
}

async function findFile(dir: string, fn: string): Promise<string> {
  for (const name of await readdir(dir)) {
    const text = await readFile(join(dir, name), "utf8");
    if (text.includes(`FN:${fn}`)) return join(dir, name);
  }
  throw new Error(`demo: ${fn} not found in ${dir}`);
}

async function edit(path: string, change: (c: Contact) => void): Promise<void> {
  const { cards, errors } = parseVCards(await readFile(path, "utf8"), path);
  const card = cards[0];
  if (!card || errors.length > 0) throw new Error(`demo: cannot parse ${path}`);
  change(card.contact);
  await writeFile(path, serializeVCard(card.contact));
}

function prop(name: string, type: string, value: string, params: VProp["params"] = {}): VProp {
  return { name, params, type, values: [value] };
}
