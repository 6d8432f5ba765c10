import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCalendarsDemo } from "../../demo/calendars-demo.js";
import { runContactsDemo } from "../../demo/contacts-demo.js";
import { runPhotosDemo } from "../../demo/photos-demo.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";
import { describeSync } from "./sync.js";

export const demoCommand: Command = {
  usage: "cradle demo [--dir DIR] [--json]",
  summary: "sync sample contacts, events and albums between a virtual iPhone and a computer, and explain it",
  help: `Creates DIR (default ./cradle-demo, replaced if it exists) with a virtual iPhone (its
AddressBook.sqlitedb, Calendar.sqlitedb and Photos.sqlite in the iOS schemas) and a computer side
(vdirs and a folder library) holding sample contacts, events and albums, syncs them, edits both sides, syncs again and tells in
words what merged and what conflicted. Its state stays inside DIR.

${EXIT_STATUS}`,
  async run(args, out) {
    const { values } = asUsage(() =>
      parseArgs({ args, options: { dir: { type: "string" }, json: { type: "boolean" } } }),
    );
    const dir = resolve(values.dir ?? "cradle-demo");
    const steps = [
      ...(await runContactsDemo(dir)),
      ...(await runCalendarsDemo(dir)),
      ...(await runPhotosDemo(dir)),
    ];
    out.data(steps, () =>
      steps
        .map((s, i) => {
          const body = s.result ? `\n${indent(describeSync(s.result) || "nothing to do")}` : "";
          return `${i + 1}. ${s.title}${body}`;
        })
        .join("\n\n"),
    );
    return 0;
  },
};

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `   ${l}`)
    .join("\n");
}
