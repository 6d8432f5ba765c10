import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readEvents } from "../adapters/calendars/ios/read.js";
import type { EventRecord } from "../adapters/calendars/ios/record.js";
import { openCalendarDb } from "../adapters/calendars/ios/schema.js";
import { CalendarWriter } from "../adapters/calendars/ios/write.js";
import { syncEndpoints } from "../api/sync.js";
import { devicePath } from "../device/virtual/layout.js";
import type { DemoStep } from "./contacts-demo.js";
import { COMPUTER_EVENTS } from "./samples.js";

const WEEK = 7 * 86_400;

/**
 * The calendars demo, on the virtual iPhone the contacts demo made: its Calendar.sqlitedb (the
 * iOS schema, with sample series, all-day and floating events) and a computer side (a vdir, as
 * khal keeps one), a first sync, edits of one series on both sides, a second sync.
 */
export async function runCalendarsDemo(dir: string): Promise<DemoStep[]> {
  const phone = join(dir, "iphone");
  const computer = join(dir, "calendar");
  await mkdir(computer, { recursive: true });
  for (const [name, text] of Object.entries(COMPUTER_EVENTS)) await writeFile(join(computer, name), text);
  const stateFile = join(dir, "state", "calendars.sqlite");
  const run = () =>
    syncEndpoints({ domain: "calendars", endpoints: [`ios:${phone}`, `vdir:${computer}`], stateFile });

  const steps: DemoStep[] = [
    {
      title: `The same iPhone's Calendar.sqlitedb (the iOS schema) holds sample events: weekly stand-ups with a cancelled and a moved occurrence, all-day and floating events, meetings in Berlin and New York. The computer side (${computer}, as khal keeps one) has ${Object.keys(COMPUTER_EVENTS).length} events of its own.`,
    },
    { title: "First calendar sync:", result: await run() },
  ];

  const standUp = await findFile(computer, "SUMMARY:Team stand-up");
  const uid = /\r\nUID:(.*)\r\n/.exec(await readFile(standUp, "utf8"))?.[1];
  if (!uid) throw new Error("demo: the stand-up has no UID");
  onPhone(phone, uid, (event) => {
    event.location = "Room 4.12";
    event.exceptionDates = [...event.exceptionDates, event.start.seconds + 4 * WEEK].sort((a, b) => a - b);
  });
  const text = await readFile(standUp, "utf8");
  await writeFile(
    standUp,
    text.replace(
      "SUMMARY:Team stand-up\r\n",
      "SUMMARY:Team stand-up\r\nDESCRIPTION:Bring your blockers.\r\n",
    ),
  );
  const bookClub = await findFile(computer, "SUMMARY:Book club");
  await writeFile(
    bookClub,
    (await readFile(bookClub, "utf8")).replace("SUMMARY:Book club", "SUMMARY:Book club: Middlemarch"),
  );
  steps.push({
    title: [
      "Edited both sides:",
      "  iPhone:   the first stand-up series moves to Room 4.12, and its fifth occurrence is cancelled;",
      "  computer: the same series gets a description; the book club gets its book.",
    ].join("\n"),
  });
  steps.push({ title: "Second calendar sync:", result: await run() });
  steps.push({ title: "Third calendar sync, nothing changed:", result: await run() });
  return steps;
}

/** Edits one event as the Calendar app would: read its rows, change them, save. */
function onPhone(phone: string, uid: string, edit: (event: EventRecord) => void): void {
  const db = openCalendarDb(devicePath(phone, "calendar"));
  try {
    const rowid = db
      .prepare("SELECT ROWID FROM CalendarItem WHERE unique_identifier = ? AND NOT (orig_item_id > 0)")
      .pluck()
      .get(uid) as number;
    const stored = readEvents(db, [rowid])[0];
    if (!stored) throw new Error(`demo: ${uid} is not on the phone`);
    edit(stored.record);
    new CalendarWriter(db, { clientId: "com.apple.mobilecal" }).write(stored.record, rowid);
  } finally {
    db.close();
  }
}

async function findFile(dir: string, line: string): Promise<string> {
  for (const name of (await readdir(dir)).sort()) {
    const text = await readFile(join(dir, name), "utf8");
    if (text.includes(`${line}\r\n`)) return join(dir, name);
  }
  throw new Error(`demo: no event with ${line} in ${dir}`);
}
