/** docs/benchmarks.md: a fixed head plus one section per part, each replaced only when its part ran. */

export interface Environment {
  date: string;
  nproc: string;
  cpu: string;
  node: string;
  vdirsyncer: string;
}

export interface Section {
  /** Runs per scenario; the tables hold each figure's median. */
  repeat: number;
  part: "contacts" | "calendars";
  count: number;
  dataBytes: number;
  results: string;
  checks: string;
  notes: string[];
}

const HEAD = `# Benchmarks

Cradle against [vdirsyncer](https://vdirsyncer.pimutils.org/) syncing contacts and calendars between
two vdirs (one \`.vcf\` per contact, one \`.ics\` per event UID with its overrides), on the same generated
data in the same run.

## How to run

\`\`\`sh
sudo apt-get install vdirsyncer time   # optional: without vdirsyncer only Cradle's rows run
npm install
npm run bench                          # builds, generates data under bench/.work/, runs both parts, rewrites this file
npm run bench -- --only calendars      # one part (contacts or calendars); the other section is kept
npm run bench -- --contacts 1000 --events 2000 --repeat 1 --no-docs   # a quick run that leaves this file alone
\`\`\`

## What is measured

- **Scenarios**, per part, each tool on its own copy of identical data: (1) first sync of the full vdir A
  into an empty vdir B; (2) resync with no change; (3) resync after 1 % of the items were edited on A,
  a different 1 % on B, and 20 more on both sides in different fields. Every edit leaves a unique
  marker and moves the file's mtime forward.
- **Commands**: \`node dist/cli/main.js sync contacts|calendars vdir:A vdir:B --state S --json\` and
  \`vdirsyncer -c CONF sync\` (two \`filesystem\` storages, \`fileext = ".vcf"\` or \`".ics"\`,
  \`collections = null\`, \`conflict_resolution = "a wins"\`; \`vdirsyncer discover\` runs once before
  and is not counted).
- **Wall time** of each whole process (start-up included), **peak RSS** from GNU \`time\`'s \`%M\`,
  **state size**: Cradle's SQLite file plus \`-wal\`/\`-shm\` against the bytes of all items on one side.
  Speed-up = vdirsyncer seconds / Cradle seconds, on a warm page cache. Each part runs several
  times (\`--repeat N\`, default 3) on fresh data; times and RSS are the median per tool and
  scenario (each computed on its own), correctness the worst run.
- **Correctness** after every scenario: both sides hold the same set of UIDs, as many as expected,
  and (scenario 3) every edit's unique marker is on both sides. vdirsyncer resolves a both-sides
  edit by keeping A's whole item, so B's edit of those items is lost; Cradle merges per field.
`;

const DATA: Record<
  Section["part"],
  { title: string; noun: string; data: (n: string) => string; note: string }
> = {
  contacts: {
    title: "Contacts",
    noun: "contacts",
    data: (n) => `${n} deterministic (seeded) Apple-style vCard 3.0 contacts: FN/N,
  ORG/TITLE on some, 1–4 TEL with TYPE params, 1–3 EMAIL (some grouped with \`itemN.X-ABLabel\`),
  0–2 ADR, some URL/IMPP/X-SOCIALPROFILE, BDAY (some with \`X-APPLE-OMIT-YEAR\`), a multi-line
  non-ASCII NOTE on ~30 %, an inline base64 JPEG-shaped PHOTO of 2–6 KB on ~10 %, unique UIDs.
- **Edits**: add a phone, change an email or edit the note; on both sides A adds a phone, B edits the note.`,
    note: '³ vdirsyncer runs with `conflict_resolution = "a wins"` and overwrites the whole item; Cradle merges the\nfields, so both edits survive.',
  },
  calendars: {
    title: "Calendars",
    noun: "events",
    data: (n) => `${n} deterministic (seeded) iCalendar events, one \`.ics\` per UID. Every tenth is a
  recurring series (RRULE weekly, some every 2 weeks, or monthly; COUNT or UNTIL; EXDATE on ~35 %)
  with 1–3 overrides (RECURRENCE-ID components, moved and some renamed) in the same file. Timed
  events are in Europe/Berlin or America/New_York (3 % of single events start in one and end in the
  other), each file carrying the VTIMEZONE of every TZID it uses; ~15 % of single events (10 % of
  series) are all-day. LOCATION on ~50 %, a multi-line non-ASCII DESCRIPTION on ~30 %,
  ORGANIZER + 1–5 ATTENDEEs on ~30 %, 1–2 VALARMs on ~40 %, some CATEGORIES, URL and an Apple X- property.
- **Edits**: change SUMMARY, set LOCATION or extend DESCRIPTION of the master, or (for a series) change
  the SUMMARY of its first override; each edit also stamps that component's LAST-MODIFIED and DTSTAMP.
  On both sides: for 10 single events A changes SUMMARY and B LOCATION; for 10 series A changes the
  master's SUMMARY and B an override's.
- **Targets** as for contacts, plus the calendars issue's own: no-change resync < 0.7 s, 1 % resync < 1.5 s,
  peak RSS < 250 MB (contacts: 150 MB).`,
    note: '³ vdirsyncer runs with `conflict_resolution = "a wins"` and overwrites the whole item, overrides included;\nCradle merges the fields of the master and of each override, so both edits survive.',
  },
};

function sectionText(env: Environment, s: Section): string {
  const d = DATA[s.part];
  const n = s.count.toLocaleString("en");
  return `<!-- bench:${s.part} -->
## ${d.title}

- **Data**: ${d.data(n)}

${env.date}, ${env.nproc} CPUs (${env.cpu}), Node ${env.node}, vdirsyncer ${env.vdirsyncer},
${n} ${d.noun}, ${(s.dataBytes / 1048576).toFixed(1)} MB of ${s.part === "contacts" ? "vCards" : "iCalendar"} per side,
${s.repeat === 1 ? "one run" : `median of ${s.repeat} runs`}.

${s.results}

${d.note}

### Correctness (${d.noun})

${s.checks}

${s.notes.map((x) => `- ${x}`).join("\n")}
<!-- /bench:${s.part} -->`;
}

/**
 * The page with `part`'s marked section replaced by `section` (which carries the markers), or
 * with it appended when the page has none. Everything outside the markers (notes written by
 * hand under a table, other parts' sections) is kept as it is.
 */
export function withSection(page: string, part: string, section: string): string {
  const start = `<!-- bench:${part} -->`;
  const end = `<!-- /bench:${part} -->`;
  const at = page.indexOf(start);
  const to = page.indexOf(end, at);
  if (at >= 0 && to > at) return page.slice(0, at) + section + page.slice(to + end.length);
  return `${page.trimEnd()}

${section}
`;
}

/**
 * The whole page: the current head (how to run, what is measured), then the old page from its
 * first section on, with fresh sections for the parts that ran and a placeholder for a part
 * never run.
 */
export function docsPage(env: Environment, sections: Section[], oldPage: string): string {
  const first = oldPage.indexOf("<!-- bench:");
  let page = `${HEAD}
${first >= 0 ? oldPage.slice(first) : ""}`;
  for (const part of ["contacts", "calendars"] as const) {
    const fresh = sections.find((s) => s.part === part);
    if (fresh) page = withSection(page, part, sectionText(env, fresh));
    else if (!page.includes(`<!-- bench:${part} -->`))
      page = withSection(
        page,
        part,
        `<!-- bench:${part} -->\n## ${DATA[part].title}\n\nNot run yet: \`npm run bench -- --only ${part}\`.\n<!-- /bench:${part} -->`,
      );
  }
  return page;
}

export const NOUNS = { contacts: ["contacts", "vCard"], calendars: ["events", ".ics"] } as const;
