import { parseArgs } from "node:util";
import { describeContact } from "../../adapters/contacts/describe.js";
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
tel, email, org, note).

${EXIT_STATUS}`,
  async run(args, out) {
    const { positionals } = asUsage(() =>
      parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" } } }),
    );
    const [domain, spec, ...extra] = positionals;
    if (!domain || !isDomain(domain) || !spec || extra.length > 0)
      throw new UsageError(`Usage: ${this.usage}`);
    if (domain !== "contacts") throw new UsageError(`show ${domain} is not available yet.`);
    const { items, errors } = await showEndpoint(domain, spec);
    const contacts = items.map(describeContact);
    for (const e of errors) process.stderr.write(`cradle: skipped ${e.where}: ${e.message}\n`);
    out.data(contacts, () =>
      contacts
        .map((c) =>
          [c.fn, ...c.tel.map((t) => `  tel ${t}`), ...c.email.map((e) => `  email ${e}`)].join("\n"),
        )
        .join("\n"),
    );
    return 0;
  },
};
