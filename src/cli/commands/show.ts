import { parseArgs } from "node:util";
import { isDomain } from "../../adapters/resolve.js";
import { showEndpoint } from "../../api/show.js";
import { UsageError } from "../../core/errors.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";

export const showCommand: Command = {
  usage: "cradle show DOMAIN EP [--json]",
  summary: "print what an endpoint holds",
  help: `Reads every record of an endpoint. Records that cannot be parsed are listed on stderr
with their file and line. --json prints an array with one object per record (contacts: uid, fn,
tel, email, org, note; calendars: uid, summary, kind, start, tzid, recurring, overrides;
photos: title, folder such as "Trips/2024" or "" at the top, count of members).

${EXIT_STATUS}`,
  async run(args, out) {
    const { positionals } = asUsage(() =>
      parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" } } }),
    );
    const [domain, spec, ...extra] = positionals;
    if (!domain || !isDomain(domain) || !spec || extra.length > 0)
      throw new UsageError(`Usage: ${this.usage}`);
    if (domain === "photos") {
      const albums = await (await import("../../api/photos.js")).showAlbums(spec);
      out.data(albums, () =>
        albums.map((a) => `${a.folder ? `${a.folder}/` : ""}${a.title}  (${a.count})`).join("\n"),
      );
      return 0;
    }
    const { items, errors } = await showEndpoint(domain, spec);
    for (const e of errors) process.stderr.write(`cradle: skipped ${e.where}: ${e.message}\n`);
    if (domain === "contacts") {
      const contacts = items.map((await import("../../adapters/contacts/describe.js")).describeContact);
      out.data(contacts, () =>
        contacts
          .map((c) =>
            [c.fn, ...c.tel.map((t) => `  tel ${t}`), ...c.email.map((e) => `  email ${e}`)].join("\n"),
          )
          .join("\n"),
      );
    } else {
      const events = items.map((await import("../../adapters/calendars/describe.js")).describeEvent);
      out.data(events, () =>
        events
          .map(
            (e) =>
              `${e.start ?? "(no start)"}${e.tzid ? ` ${e.tzid}` : ""}  ${e.summary}${e.recurring ? " (repeats)" : ""}`,
          )
          .join("\n"),
      );
    }
    return 0;
  },
};
