/**
 * The virtual device's com.apple.mobilebackup2: what idevicebackup2 1.3.0 (and Cradle's client)
 * need from a phone (device-protocols.md §4). The device drives: after the host's request it asks
 * for files, sends files and tells the host what to move, then ends with a ProcessMessage.
 *
 * - Backup: the home tree is written as a Finder backup folder (backup-format's writer), then
 *   every file is uploaded, payloads first and Status.plist ("finished") last.
 * - Restore: Manifest.plist, Manifest.db and the payloads are downloaded into a temp folder and
 *   restored into the home tree through its restore target (paths checked, files atomic).
 * - Info, List: a summary of the host's last backup, and its files as CSV.
 */
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { backupFileId } from "../../adapters/backup-folder/manifest.js";
import { createAtomicFile } from "../../adapters/shared/atomic-write.js";
import { BackupFolderSource } from "../../backup/ios-backup/folder-source.js";
import { BackupFolderTarget } from "../../backup/ios-backup/folder-target.js";
import { IosTreeSource } from "../../backup/sources/ios-tree.js";
import { IosTreeTarget } from "../../backup/targets/ios-tree.js";
import type { BackupSource, RestoreTarget, TreeEntry } from "../../backup/tree.js";
import { ByteReader } from "../byte-reader.js";
import { DeviceLinkChannel } from "../devicelink/channel.js";
import { DeviceLinkError } from "../devicelink/errors.js";
import {
  type IncomingFile,
  receiveDownloadedFiles,
  sendEndOfFiles,
  sendFileContent,
  sendUploadHeader,
} from "../devicelink/file-stream.js";
import {
  DL_STATUS,
  offerDeviceLinkVersion,
  processMessageBody,
  receiveProcessMessage,
  receiveStatusResponse,
  sendProcessMessage,
} from "../devicelink/messages.js";
import { DeviceProtocolError } from "../errors.js";
import {
  agreeOnVersion,
  MOBILEBACKUP2_DEVICELINK_VERSION,
  MOBILEBACKUP2_SERVICE,
} from "../mobilebackup2/messages.js";
import { type PlistDict, PlistReal, parsePlistDict } from "../plist/index.js";
import type { VirtualDeviceContext, VirtualService } from "../service.js";

/** MBErrorDomain codes a device answers with. */
const MB_ERROR = { ok: 0, failed: 1, noSpace: 105 } as const;

export async function serveMobileBackup2(
  channel: DeviceLinkChannel,
  context: VirtualDeviceContext,
): Promise<void> {
  await offerDeviceLinkVersion(channel, MOBILEBACKUP2_DEVICELINK_VERSION);
  const hello = await receiveProcessMessage(channel);
  const version = agreeOnVersion(hello.SupportedProtocolVersions);
  if (hello.MessageName !== "Hello" || version === undefined) {
    await sendProcessMessage(channel, { MessageName: "Response", ErrorCode: MB_ERROR.failed });
    return;
  }
  await sendProcessMessage(channel, {
    MessageName: "Response",
    ErrorCode: MB_ERROR.ok,
    ProtocolVersion: new PlistReal(version),
  });
  for (;;) {
    const message = await channel.receiveOrEnd();
    if (message === undefined || message[0] === "DLMessageDisconnect") return;
    if (message[0] !== "DLMessageProcessMessage")
      throw new DeviceLinkError(`${channel.peer} sent ${message[0]} where a mobilebackup2 request was due.`, {
        peer: channel.peer,
      });
    const request = processMessageBody(channel, message[1]);
    const answer = await answerRequest(channel, context, request);
    await sendProcessMessage(channel, answer);
  }
}

/** Real devices since iOS 13 speak TLS on this service. */
export const mobileBackup2Service: VirtualService = {
  name: MOBILEBACKUP2_SERVICE,
  ssl: true,
  handler: (connection, context) =>
    serveMobileBackup2(new DeviceLinkChannel(new ByteReader(connection, "the host"), connection), context),
};

async function answerRequest(
  channel: DeviceLinkChannel,
  context: VirtualDeviceContext,
  request: PlistDict,
): Promise<PlistDict> {
  const work = await mkdtemp(join(tmpdir(), "cradle-virtual-mb2-"));
  const session = new DeviceSession(channel, context, work);
  try {
    return await session.answer(request);
  } catch (error) {
    // The host hears why, as from a real device; a broken connection ends the service instead.
    if (error instanceof DeviceLinkError || error instanceof DeviceProtocolError) throw error;
    return failure(`The virtual iPhone failed: ${(error as Error).message}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
const failure = (description: string, code: number = MB_ERROR.failed): PlistDict => ({
  ErrorCode: code,
  ErrorDescription: description,
});

/** One request's work: a temp folder, and the DeviceLink file operations the device asks of the host. */
class DeviceSession {
  constructor(
    private readonly channel: DeviceLinkChannel,
    private readonly context: VirtualDeviceContext,
    private readonly work: string,
  ) {}

  answer(request: PlistDict): Promise<PlistDict> {
    const source =
      typeof request.SourceIdentifier === "string" && request.SourceIdentifier !== ""
        ? request.SourceIdentifier
        : this.context.udid;
    switch (request.MessageName) {
      case "Backup":
        return this.backup();
      case "Restore":
        return this.restore(source);
      case "Info":
        return this.info(source);
      case "List":
        return this.list(source);
      default:
        return Promise.resolve(failure(`The virtual iPhone does not do ${String(request.MessageName)}.`));
    }
  }

  async backup(): Promise<PlistDict> {
    const udid = this.context.udid;
    await this.download([`${udid}/Status.plist`]);
    await this.channel.send(["DLMessageGetFreeDiskSpace"]);
    const free = await receiveStatusResponse(this.channel);
    const folder = join(this.work, "snapshot", udid);
    await mkdir(dirname(folder));
    await copyEntries(new IosTreeSource(this.context.home), new BackupFolderTarget(folder));
    const files = await uploadOrder(folder);
    const total = (
      await Promise.all(files.map(async (file) => (await stat(join(folder, file))).size))
    ).reduce((a, b) => a + b, 0);
    if (typeof free.value === "number" && free.value < total)
      return failure(
        `The computer has ${free.value} bytes free; the backup needs ${total}.`,
        MB_ERROR.noSpace,
      );
    const directories = [...new Set(files.map((file) => dirname(file)))].map((dir) =>
      dir === "." ? udid : `${udid}/${dir}`,
    );
    for (const dir of directories) {
      await this.channel.send(["DLMessageCreateDirectory", dir]);
      await receiveStatusResponse(this.channel);
    }
    await this.channel.send(["DLMessageUploadFiles", {}, new PlistReal(0), total]);
    for (const file of files) {
      await sendUploadHeader(this.channel, `/var/mobile/Backup/${file}`, `${udid}/${file}`);
      await sendFileContent(this.channel, createReadStream(join(folder, file)));
    }
    await sendEndOfFiles(this.channel);
    const uploaded = await receiveStatusResponse(this.channel);
    if (uploaded.code !== 0)
      return failure(`The computer could not store the backup: ${uploaded.text ?? uploaded.code}.`);
    return { ErrorCode: MB_ERROR.ok };
  }

  async restore(source: string): Promise<PlistDict> {
    const folder = await this.downloadManifest(source);
    if (folder === undefined) return failure(`The computer has no finished backup of ${source}.`);
    const files = (await manifestEntries(folder)).filter((entry) => entry.kind === "file");
    await this.download(
      files.map((entry) => {
        const id = backupFileId(entry.domain, entry.relativePath);
        return `${source}/${id.slice(0, 2)}/${id}`;
      }),
    );
    const restoring = new BackupFolderSource(folder);
    await copyEntries(restoring, new IosTreeTarget(this.context.home));
    const missing = restoring.missing();
    if (missing.length > 0)
      return failure(`The backup lacks ${missing.length} file(s), e.g. ${missing[0]?.entry.relativePath}.`);
    return { ErrorCode: MB_ERROR.ok };
  }

  async info(source: string): Promise<PlistDict> {
    const arrived = await this.download([`${source}/Status.plist`]);
    const local = arrived.get(`${source}/Status.plist`);
    if (!local) return failure(`The computer has no backup of ${source}.`);
    const plist = parsePlistDict(await readFile(local), `${source}/Status.plist`);
    const lines = ["SnapshotState", "Date", "IsFullBackup", "Version", "UUID"]
      .filter((key) => plist[key] !== undefined)
      .map(
        (key) =>
          `${key}: ${plist[key] instanceof Date ? (plist[key] as Date).toISOString() : String(plist[key])}`,
      );
    return { ErrorCode: MB_ERROR.ok, Content: `${lines.join("\n")}\n` };
  }

  async list(source: string): Promise<PlistDict> {
    const folder = await this.downloadManifest(source);
    if (folder === undefined) return failure(`The computer has no finished backup of ${source}.`);
    const rows = ["domain,relativePath,kind,size"];
    for (const entry of await manifestEntries(folder))
      rows.push([entry.domain, entry.relativePath, entry.kind, entry.size].map(csvField).join(","));
    return { ErrorCode: MB_ERROR.ok, Content: `${rows.join("\n")}\n` };
  }

  /** Manifest.plist, Manifest.db and Status.plist of the host's backup, in a temp folder; undefined if absent. */
  private async downloadManifest(source: string): Promise<string | undefined> {
    const names = ["Manifest.plist", "Manifest.db", "Status.plist"];
    const got = await this.download(names.map((name) => `${source}/${name}`));
    return got.size === names.length ? join(this.work, "downloads", source) : undefined;
  }

  /**
   * Asks the host for files (DLMessageDownloadFiles) and stores those it has under the temp
   * folder; returns where each arrived. A file the host lacks is simply absent.
   */
  private async download(paths: string[]): Promise<Map<string, string>> {
    const arrived = new Map<string, string>();
    if (paths.length === 0) return arrived;
    await this.channel.send(["DLMessageDownloadFiles", paths, {}, new PlistReal(0)]);
    await receiveDownloadedFiles(this.channel, async (path): Promise<IncomingFile> => {
      if (!paths.includes(path))
        throw new DeviceLinkError(`${this.channel.peer} sent ${path}, which was not asked for.`, { path });
      const local = join(this.work, "downloads", path);
      await mkdir(dirname(local), { recursive: true });
      const file = await createAtomicFile(local);
      return {
        write: (chunk) => file.write(chunk),
        finish: async () => {
          await file.commit();
          arrived.set(path, local);
        },
        fail: () => file.discard(),
      };
    });
    const status = await receiveStatusResponse(this.channel);
    // Multi status names the files the host lacks: they are simply absent here.
    if (status.code !== DL_STATUS.ok && status.code !== DL_STATUS.multiStatus)
      throw new DeviceLinkError(`${this.channel.peer} failed to send files (${status.code}).`, {
        code: status.code,
      });
    return arrived;
  }
}

/**
 * Every entry a backup's Manifest.db lists. With only the manifest downloaded, the source reports
 * each file as missing its content: those count too.
 */
async function manifestEntries(folder: string): Promise<TreeEntry[]> {
  const source = new BackupFolderSource(folder);
  const entries: TreeEntry[] = [];
  try {
    for await (const entry of source.entries()) entries.push(entry);
    return [...entries, ...source.missing().map(({ entry }) => entry)];
  } finally {
    await source.close();
  }
}

async function copyEntries(source: BackupSource, target: RestoreTarget): Promise<void> {
  try {
    for await (const entry of source.entries())
      await target.put(entry, entry.kind === "file" ? await source.open(entry) : undefined);
    await target.commit(await source.device());
  } catch (error) {
    await target.abort();
    throw error;
  } finally {
    await source.close?.();
  }
}

/** Every file of a backup folder except the host's Info.plist; payloads first, Status.plist last. */
async function uploadOrder(folder: string): Promise<string[]> {
  const all = (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)));
  const rank = (file: string) =>
    file === "Status.plist" ? 3 : file === "Manifest.plist" ? 2 : file === "Manifest.db" ? 1 : 0;
  return all.filter((file) => file !== "Info.plist").sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const csvField = (value: string | number) => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
