import { parseArgs } from "node:util";
import { backup } from "../../backup/archiver.js";
import { openSource } from "../../backup/locations.js";
import { Repository } from "../../backup/repository/repository.js";
import { UsageError } from "../../core/errors.js";
import { asUsage } from "../args.js";
import { type Command, EXIT_STATUS } from "../command.js";
import {
  formatBytes,
  givenPassword,
  openRepo,
  promptPassword,
  REPO_HELP,
  REPO_OPTIONS,
  type RepoValues,
  repoRoot,
  transferProgress,
} from "../repo-options.js";

export const backupCommand: Command = {
  usage: "cradle backup SOURCE [--repo DIR] [--encrypt] [--password-file FILE] [--json]",
  summary: "take a versioned, deduplicated snapshot of a device",
  help: `SOURCE is ios:DIR, an iOS home tree laid out like /var/mobile (what "cradle device create"
makes), or backup:DIR, a Finder/iTunes/idevicebackup2 backup folder (an encrypted one is opened
with $CRADLE_BACKUP_PASSWORD; files its Manifest lists but that are missing are reported), or
device:UDID, a paired device on USB (see "cradle devices"), which backs itself up over
mobilebackup2 into a staging folder in the temp dir first. From ios:DIR, caches, tmp and media synced from a computer
are left out, as Apple's backups leave them out.
Files whose size, mtime and mode match the device's previous snapshot are not read again.
The first backup creates the repository; it is encrypted (AES-256-GCM, scrypt) when a password
is given ($CRADLE_PASSWORD, --password-file) or with --encrypt, which asks for one.

  --encrypt             create an encrypted repository, asking for the password on the terminal
${REPO_HELP}

An interrupted backup leaves every earlier snapshot intact; the next run reuses what it stored.

${EXIT_STATUS}`,
  async run(args, out) {
    const { values, positionals } = asUsage(() =>
      parseArgs({ args, allowPositionals: true, options: { ...REPO_OPTIONS, encrypt: { type: "boolean" } } }),
    );
    if (positionals.length !== 1) throw new UsageError("backup takes exactly one SOURCE, e.g. ios:./phone.");
    const source = openSource(positionals[0] as string);
    const repo = await openOrCreate(values, values.encrypt === true);
    const summary = await backup({ repo, source, onProgress: transferProgress(out, "backup") }).finally(() =>
      source.close?.(),
    );
    out.done();
    const s = summary.snapshot;
    out.data({ type: "summary", ...summary, repo: repo.root }, () =>
      [
        `snapshot ${s.id.slice(0, 8)} of "${s.device.name}" (${s.device.udid}) saved in ${repo.root}`,
        `  ${s.files} files, ${formatBytes(s.bytes)}; ${summary.unchangedFiles} unchanged since the last snapshot`,
        `  new data ${formatBytes(summary.storedBytes)} stored, ${formatBytes(summary.dedupBytes)} deduplicated, in ${summary.seconds.toFixed(1)} s`,
        ...(summary.reindexedPacks > 0
          ? [`  ${summary.reindexedPacks} packs of an interrupted backup were indexed and reused`]
          : []),
        ...s.missing.map((m) => `  missing: ${m.domain}-${m.relativePath} (${m.reason})`),
        ...(repo.encrypted ? [] : ["  the repository is not encrypted (see --encrypt)"]),
      ].join("\n"),
    );
    return 0;
  },
};

async function openOrCreate(values: RepoValues, encrypt: boolean): Promise<Repository> {
  const root = repoRoot(values);
  if (await Repository.exists(root)) return openRepo(values);
  let password = givenPassword(values);
  if (password === undefined && encrypt) password = await promptPassword(`New password for ${root}: `);
  if (encrypt && !password)
    throw new UsageError(
      "--encrypt needs a password: a terminal to ask on, $CRADLE_PASSWORD or --password-file.",
    );
  return Repository.create({ root, password });
}
