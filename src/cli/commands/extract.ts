import { parseArgs } from "node:util";
import {
  EXTRACT_KINDS,
  type ExtractKind,
  type ExtractResult,
  extract,
  openDeviceFiles,
  openSnapshotFiles,
} from "../../backup/extract/index.js";
import { UsageError } from "../../core/errors.js";
import { asUsage } from "../args.js";
import { backupPassword } from "../backup-password.js";
import { type Command, EXIT_STATUS } from "../command.js";
import { openRepo, REPO_HELP, REPO_OPTIONS } from "../repo-options.js";

export const extractCommand: Command = {
  usage: `cradle extract SNAP|SOURCE ${EXTRACT_KINDS.join("|")} --to DIR [--repo DIR] [--password-file FILE] [--json]`,
  summary: "copy a device's contacts, calendars, photos or messages out as ordinary files",
  help: `SNAP is a snapshot of the backup repository: an id, a unique prefix of one, or "latest".
SOURCE is ios:DIR (a device home tree, as "cradle device create" makes) or backup:DIR (a Finder,
iTunes or idevicebackup2 backup folder). DIR (--to) must be new or empty.
  contacts   one vCard per contact (.vcf), the layout khard reads
  calendars  one .ics per event (needs the iOS calendar reader; says so when it is missing)
  photos     the camera roll's files (DCIM/100APPLE/IMG_0001.HEIC ...), times kept
  messages   one text file per chat of sms.db: time (UTC), sender, text, attachment names
An encrypted backup folder needs its password: CRADLE_BACKUP_PASSWORD, --password-file FILE (first
line), or a prompt when stdin is a terminal; an encrypted repository takes $CRADLE_PASSWORD or
--password-file. A wrong password fails with exit 1 and writes nothing.
${REPO_HELP}
--json prints {kind, source, to, files, messages?, errors}.

${EXIT_STATUS}`,
  async run(args, out) {
    const { values, positionals } = asUsage(() =>
      parseArgs({
        args,
        allowPositionals: true,
        options: { ...REPO_OPTIONS, to: { type: "string" } },
      }),
    );
    const [spec, kind, ...extra] = positionals;
    if (!spec || !kind || extra.length > 0 || !values.to) throw new UsageError(`Usage: ${this.usage}`);
    if (!(EXTRACT_KINDS as readonly string[]).includes(kind))
      throw new UsageError(`extract takes ${EXTRACT_KINDS.join(", ")}, not "${kind}".`);
    // Snapshot ids are hex: anything with a scheme is a device source (or a usage error).
    const opened = spec.includes(":")
      ? await openDeviceFiles(spec, { password: backupPassword(values["password-file"]) })
      : await openSnapshotFiles(await openRepo(values), spec);
    try {
      const result = await extract(opened.files, kind as ExtractKind, values.to);
      for (const e of result.errors) process.stderr.write(`cradle: skipped ${e.where}: ${e.message}\n`);
      out.data(result, () => describe(result));
    } finally {
      await opened.close();
    }
    return 0;
  },
};

function describe(result: ExtractResult): string {
  const what =
    result.kind === "messages"
      ? `${result.files} chats (${result.messages} messages)`
      : `${result.files} ${result.kind === "photos" ? "photo and video files" : `${result.kind} files`}`;
  const skipped = result.errors.length > 0 ? `; ${result.errors.length} skipped (listed above)` : "";
  return `Extracted ${what} from ${result.source} to ${result.to}${skipped}`;
}
