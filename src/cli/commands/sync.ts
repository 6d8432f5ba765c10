import { parseArgs } from "node:util";
import { isDomain } from "../../adapters/resolve.js";
import { type SyncEndpointsResult, syncEndpoints } from "../../api/sync.js";
import { UsageError } from "../../core/errors.js";
import { GuardedError } from "../../merge/errors.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";

export const syncCommand: Command = {
  usage: "cradle sync DOMAIN EP EP [EP...] [--state FILE] [--prefer EP] [--dry-run] [--allow-empty] [--json]",
  summary: "merge DOMAIN (contacts, calendars or photos) two ways between endpoints",
  help: `Merges every endpoint's edits since the last sync, field by field, and writes back only
what changed. Endpoints: vdir:DIR (one .vcf per contact, one .ics per event and its
overrides), file:PATH.vcf or file:PATH.ics (many in one file). Photo albums: ios:DIR (an iOS
home tree's Photos.sqlite), photos:LIBRARY (a macOS .photoslibrary), albums:DIR (one folder
per album; photos missing there are copied in).

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
    let result: SyncEndpointsResult;
    try {
      result = await syncEndpoints({
        domain,
        endpoints: specs,
        stateFile: values.state,
        prefer: values.prefer,
        dryRun: values["dry-run"],
        allowEmpty: values["allow-empty"],
        onProgress: (p) => out.progress(p),
      });
    } catch (error) {
      if (!(error instanceof GuardedError)) throw error;
      // Not a failure: the domain is off by design. Scripts get the domain's status on stdout.
      out.done();
      const { domain: guarded, status, reason, endpoint } = error.data;
      out.data({ domain: guarded, status, reason, endpoint, message: error.message }, () => error.message);
      return error.exitCode;
    }
    out.done();
    out.data(result, () => describeSync(result));
    return 0;
  },
};

/** The sync report in words. Endpoints under the current directory are shown relative to it. */
export function describeSync(r: SyncEndpointsResult): string {
  const lines: string[] = [];
  for (const e of r.endpoints) {
    const counts = `${e.created} created, ${e.updated} updated, ${e.deleted} deleted${e.failed ? `, ${e.failed} failed` : ""}`;
    lines.push(`${r.dryRun ? "would write" : "wrote"} ${here(e.uri)}: ${counts}`);
  }
  for (const m of r.merges) {
    const who = m.endpoints.map((e) => `${here(e)} changed ${(m.fields[e] ?? []).map(fieldName).join(", ")}`);
    lines.push(`merged "${m.label}" field by field: ${who.join("; ")}`);
  }
  for (const t of r.textMerges)
    lines.push(`merged "${t.label}" ${fieldName(t.field)} as text, character by character`);
  for (const c of r.conflicts) {
    const values = c.values.map(
      (v) => `${here(v.endpoint)} had ${v.value === undefined ? "(deleted)" : short(v.value)}`,
    );
    lines.push(
      `conflict in "${c.label}" ${fieldName(c.field)}: ${values.join("; ")} → kept ${here(c.winner)} (${c.reason})`,
    );
  }
  for (const x of r.resurrected)
    lines.push(`restored "${x.label}" on ${here(x.endpoint)}: it was deleted there but edited elsewhere`);
  for (const s of r.skipped) lines.push(`skipped ${s.where}: ${s.reason}`);
  if (r.dryRun) lines.push(...r.plan.map((p) => `plan: ${p}`));
  return lines.join("\n");
}

function here(uri: string): string {
  const prefix = `${process.cwd()}/`;
  return uri.replace(`:${prefix}`, ":");
}

/** "entries/TEL:+4930..." reads as "TEL +4930..."; companions are an entry's label. */
function fieldName(field: string): string {
  const [set, key] = field.includes("/")
    ? [field.slice(0, field.indexOf("/")), field.slice(field.indexOf("/") + 1)]
    : ["", field];
  const readable = key.replace(":", " ");
  return set === "companions" ? `label of ${readable}` : readable;
}

function short(value: string): string {
  const text = value.startsWith("[") || value.startsWith("{") ? jcardText(value) : value;
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** A property's value and its TYPE/PREF parameters, from its canonical jCard JSON. */
function jcardText(json: string): string {
  try {
    const parsed = JSON.parse(json) as Prop | Prop[];
    const props = Array.isArray(parsed) ? parsed : [parsed];
    return props.map(propText).join(" / ");
  } catch {
    return json;
  }
}

interface Prop {
  params?: Record<string, unknown>;
  values?: unknown[];
}

function propText(p: Prop): string {
  const value = (p.values ?? []).flat().join(" ").trim();
  const params = Object.entries(p.params ?? {})
    .filter(([k]) => k === "type" || k === "pref")
    .map(([k, v]) => (k === "pref" ? `pref=${v}` : [v].flat().join(",")));
  return params.length > 0 ? `${value} (${params.join(", ")})` : value;
}
