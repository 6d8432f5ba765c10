import { parseArgs } from "node:util";
import { isDomain } from "../../adapters/resolve.js";
import { type SyncEndpointsResult, syncEndpoints } from "../../api/sync.js";
import { UsageError } from "../../core/errors.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";

export const syncCommand: Command = {
  usage: "cradle sync DOMAIN EP EP [EP...] [--state FILE] [--prefer EP] [--dry-run] [--allow-empty] [--json]",
  summary: "merge DOMAIN (contacts) two ways between endpoints",
  help: `Merges every endpoint's edits since the last sync, field by field, and writes back only
what changed. Endpoints: vdir:DIR (one .vcf per contact), file:PATH.vcf (many in one file).

OPTIONS
  --state FILE   state database (default: one per endpoint group under $CRADLE_HOME/state or
                 $XDG_STATE_HOME/cradle)
  --prefer EP    this endpoint wins conflicts (default: the side modified last)
  --dry-run      print the plan, write nothing
  --allow-empty  allow a side to become empty or lose more than half of its records
  --json         print one JSON object: per endpoint created/updated/deleted/failed, conflicts,
                 merges, skipped items with reasons

${EXIT_STATUS}`,
  async run(args, out) {
    const { values, positionals } = asUsage(() =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          state: { type: "string" },
          prefer: { type: "string" },
          "dry-run": { type: "boolean" },
          "allow-empty": { type: "boolean" },
          json: { type: "boolean" },
        },
      }),
    );
    const [domain, ...specs] = positionals;
    if (!domain || !isDomain(domain)) throw new UsageError(`Usage: ${this.usage}`);
    const result = await syncEndpoints({
      domain,
      endpoints: specs,
      stateFile: values.state,
      prefer: values.prefer,
      dryRun: values["dry-run"],
      allowEmpty: values["allow-empty"],
      onProgress: (p) => out.progress(p),
    });
    out.done();
    out.data(result, () => describeSync(result));
    return 0;
  },
};

/** The sync report in words. */
export function describeSync(r: SyncEndpointsResult): string {
  const lines: string[] = [];
  for (const e of r.endpoints) {
    const counts = `${e.created} created, ${e.updated} updated, ${e.deleted} deleted${e.failed ? `, ${e.failed} failed` : ""}`;
    lines.push(`${r.dryRun ? "would write" : "wrote"} ${e.uri}: ${counts}`);
  }
  for (const m of r.merges)
    lines.push(`merged "${m.label}": edits from ${m.endpoints.join(" and ")} combined`);
  for (const t of r.textMerges) lines.push(`merged "${t.label}" ${t.field} as text`);
  for (const c of r.conflicts) {
    const values = c.values.map(
      (v) => `${v.endpoint} had ${v.value === undefined ? "(deleted)" : short(v.value)}`,
    );
    lines.push(`conflict in "${c.label}" ${c.field}: ${values.join("; ")} → kept ${c.winner} (${c.reason})`);
  }
  for (const x of r.resurrected)
    lines.push(`restored "${x.label}" on ${x.endpoint}: it was deleted there but edited elsewhere`);
  for (const s of r.skipped) lines.push(`skipped ${s.where}: ${s.reason}`);
  if (r.dryRun) lines.push(...r.plan.map((p) => `plan: ${p}`));
  return lines.join("\n");
}

function short(value: string): string {
  const text = value.startsWith("[") || value.startsWith("{") ? jcardText(value) : value;
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function jcardText(json: string): string {
  try {
    const parsed = JSON.parse(json) as { values?: unknown[] } | { values?: unknown[] }[];
    const props = Array.isArray(parsed) ? parsed : [parsed];
    return props.map((p) => (p.values ?? []).flat().join(" ").trim()).join(" / ");
  } catch {
    return json;
  }
}
