import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { withSection } from "./docs.js";
import { type Measured, measure } from "./peers.js";

/**
 * The device side: a virtual iPhone with N contacts and M events, synced with a vdir through
 * ios:DIR, one domain at a time. Targets (issue 4): a no-change resync under 0.5 s per domain,
 * and writing 100 changed contacts into AddressBook.sqlitedb under 0.5 s.
 */

export const IOS_TARGET_SECONDS = 0.5;
const CHANGED = 100;

type Domain = "contacts" | "calendars";

export interface IosRow {
  step: string;
  contacts?: string;
  calendars?: string;
  target: string;
  ok?: boolean;
}

export interface IosResult {
  contacts: number;
  events: number;
  /** The 1-minute load average when the part started, and the cores: the machine may be shared. */
  load: string;
  rows: IosRow[];
  problems: string[];
}

/** The shapes of the library modules this part loads from dist/ at run time. */
interface Fields {
  scalars: Record<string, string>;
  texts: Record<string, string>;
  sets: Record<string, Record<string, string>>;
}
type ReadResult = { ok: true; item: { uid: string; fields: Fields } } | { ok: false };
interface IosEndpoint {
  list(): Promise<{ id: string }[]>;
  read(ids: string[]): Promise<Map<string, ReadResult>>;
  write(batch: {
    create: never[];
    delete: never[];
    update: { id: string; uid: string; fields: Fields }[];
  }): Promise<{ ok: boolean }[]>;
}

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const secs = (s: number) => `${s.toFixed(2)} s`;
const mb = (m: Measured) => (m.rssMb === undefined ? "?" : `${m.rssMb.toFixed(0)} MB`);

async function endpointFor(root: string, domain: Domain, phone: string): Promise<IosEndpoint> {
  const [file, name] =
    domain === "contacts"
      ? ["dist/adapters/contacts/endpoints/ios.js", "ContactsIosEndpoint"]
      : ["dist/adapters/calendars/endpoints/ios.js", "CalendarsIosEndpoint"];
  const module = (await import(pathToFileURL(resolve(root, file)).href)) as Record<
    string,
    new (
      dir: string,
    ) => IosEndpoint
  >;
  const Endpoint = module[name];
  if (!Endpoint) throw new Error(`${file} has no ${name}`);
  return new Endpoint(phone);
}

/** A change the store holds: a contact's note, an event's summary (a jCal text property). */
function changed(domain: Domain, fields: Fields, n: number): Fields {
  if (domain === "contacts") return { ...fields, texts: { ...fields.texts, NOTE: `bench edit ${n}` } };
  const summary = { name: "summary", params: {}, type: "text", values: [`bench edit ${n}`] };
  return { ...fields, scalars: { ...fields.scalars, SUMMARY: JSON.stringify(summary) } };
}

/** Writes CHANGED changed records through the ios: endpoint in this process; times write() alone. */
async function writeChanged(
  root: string,
  domain: Domain,
  phone: string,
  problems: string[],
): Promise<number> {
  const endpoint = await endpointFor(root, domain, phone);
  const ids = (await endpoint.list()).slice(0, CHANGED).map((l) => l.id);
  const read = await endpoint.read(ids);
  const update = ids.flatMap((id, n) => {
    const r = read.get(id);
    return r?.ok ? [{ id, uid: r.item.uid, fields: changed(domain, r.item.fields, n) }] : [];
  });
  const started = process.hrtime.bigint();
  const outcomes = await endpoint.write({ create: [], delete: [], update });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failed = outcomes.filter((o) => !o.ok).length;
  const back = await endpoint.read(ids);
  const kept = [...back.values()].filter(
    (r) => r.ok && JSON.stringify(r.item.fields).includes("bench edit"),
  ).length;
  if (update.length !== CHANGED || failed > 0 || kept !== CHANGED)
    problems.push(`${domain}: wrote ${update.length} records, ${failed} failed, ${kept} read back changed`);
  return seconds;
}

/** Edits CHANGED files of the vdir in a field the store holds. */
async function editVdir(dir: string, domain: Domain): Promise<void> {
  const ext = domain === "contacts" ? ".vcf" : ".ics";
  const names = (await readdir(dir))
    .filter((f) => f.endsWith(ext))
    .sort()
    .slice(0, CHANGED);
  for (const [n, name] of names.entries()) {
    const path = join(dir, name);
    const text = await readFile(path, "utf8");
    const edited =
      domain === "contacts"
        ? text.replace("END:VCARD", `EMAIL;TYPE=INTERNET:bench-${n}@example.com\r\nEND:VCARD`)
        : text.replace(/\r\nSUMMARY:[^\r]*/, `\r\nSUMMARY:vdir edit ${n}`);
    await writeFile(path, edited);
  }
}

interface SyncSummary {
  endpoints: { created: number; updated: number; deleted: number; failed: number }[];
}

export async function runIosPart(
  root: string,
  base: string,
  contacts: number,
  events: number,
): Promise<IosResult> {
  const main = resolve(root, "dist/cli/main.js");
  const work = join(base, "ios");
  await rm(work, { recursive: true, force: true });
  const phone = join(work, "phone");
  const problems: string[] = [];
  const load = `${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`;
  await mkdir(work, { recursive: true });
  const cli = (...args: string[]) => measure(process.execPath, [main, ...args], work);

  log(`ios: creating a virtual iPhone with ${contacts} contacts and ${events} events`);
  const created = await cli(
    "device",
    "create",
    phone,
    "--sample",
    String(contacts),
    "--events",
    String(events),
    "--seed",
    "bench",
  );
  const per: Record<Domain, Record<string, string>> = { contacts: {}, calendars: {} };
  const okNoChange: boolean[] = [];
  let contactWrite = Number.POSITIVE_INFINITY;
  for (const domain of ["contacts", "calendars"] as const) {
    const vdir = join(work, `vdir-${domain}`);
    const sync = () =>
      cli(
        "sync",
        domain,
        `ios:${phone}`,
        `vdir:${vdir}`,
        "--state",
        join(work, `${domain}.sqlite`),
        "--json",
      );
    const expect = (m: Measured, what: string, check: (s: SyncSummary) => boolean) => {
      if (!check(JSON.parse(m.stdout) as SyncSummary))
        problems.push(`${domain} ${what}: ${m.stdout.slice(0, 300)}`);
    };
    const count = domain === "contacts" ? contacts : events;
    log(`ios: ${domain}`);
    const first = await sync();
    expect(first, "first sync", (s) => s.endpoints[1]?.created === count);
    const still = await sync();
    expect(still, "no-change resync", (s) =>
      s.endpoints.every((e) => e.created + e.updated + e.deleted === 0),
    );
    await editVdir(vdir, domain);
    const edited = await sync();
    expect(edited, "1 % edited", (s) => s.endpoints[0]?.updated === CHANGED);
    const written = await writeChanged(root, domain, phone, problems);
    if (domain === "contacts") contactWrite = written;
    okNoChange.push(still.seconds < IOS_TARGET_SECONDS);
    per[domain] = {
      first: `${secs(first.seconds)}, ${mb(first)}`,
      still: secs(still.seconds),
      edited: secs(edited.seconds),
      written: secs(written),
    };
    log(
      `  first ${per[domain].first}; no change ${per[domain].still}; ${CHANGED} edited ${per[domain].edited}; write ${per[domain].written}`,
    );
  }
  const row = (step: string, key: string, target: string, ok?: boolean): IosRow => ({
    step,
    contacts: per.contacts[key],
    calendars: per.calendars[key],
    target,
    ...(ok === undefined ? {} : { ok }),
  });
  return {
    contacts,
    events,
    load,
    problems,
    rows: [
      {
        step: "create the virtual iPhone (both stores)",
        contacts: `${secs(created.seconds)}, ${mb(created)}`,
        target: "—",
      },
      row("first sync ios: → empty vdir (wall, peak RSS)", "first", "—"),
      row("no-change resync", "still", `< ${IOS_TARGET_SECONDS} s each`, okNoChange.every(Boolean)),
      row(`resync after ${CHANGED} edits on the vdir side`, "edited", "—"),
      row(
        `write ${CHANGED} changed records into the store (endpoint write, in process)`,
        "written",
        `contacts < ${IOS_TARGET_SECONDS} s`,
        contactWrite < IOS_TARGET_SECONDS,
      ),
    ],
  };
}

export function iosTable(r: IosResult): string {
  const mark = (ok?: boolean) => (ok === undefined ? "" : ok ? " ✓" : " ✗");
  return [
    `| step | contacts (${r.contacts}) | events (${r.events}) | target |`,
    "|---|---|---|---|",
    ...r.rows.map(
      (x) => `| ${x.step} | ${x.contacts ?? "—"} | ${x.calendars ?? "—"} | ${x.target}${mark(x.ok)} |`,
    ),
  ].join("\n");
}

const START = "<!-- bench:ios -->";
const END = "<!-- /bench:ios -->";

/** The page with this part's section replaced (or appended when it has none yet). */
export function withIosSection(page: string, r: IosResult, date: string): string {
  const section = `${START}
## The device side: ios: ↔ vdir:

A virtual iPhone (\`cradle device create --sample ${r.contacts} --events ${r.events}\`) synced with a vdir per
domain through \`ios:DIR\`, each sync a whole \`cradle sync\` process (wall time includes Node's start).
The last row times only the endpoint's \`write()\` of ${CHANGED} updated records, in process. Run ${date},
load average ${r.load} at the start; \`npm run bench -- --only ios\`.

${iosTable(r)}
${r.problems.length ? `\nProblems: ${r.problems.join("; ")}\n` : ""}${END}`;
  return withSection(page, "ios", section);
}
