/**
 * What a host does with the file requests a device sends during mobilebackup2 (the table in
 * device-protocols.md §4.2): every path is relative to one root folder and checked before use, so
 * a device can neither read nor write outside it. Uploaded files appear only once complete.
 */
import { createReadStream } from "node:fs";
import { cp, mkdir, readdir, rename, rm, stat, statfs } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type AtomicFile, createAtomicFile, syncFiles } from "../../adapters/shared/atomic-write.js";
import { assertSafeRelativePath } from "../../backup/domains.js";
import type { DeviceLinkChannel, DeviceLinkMessage } from "../devicelink/channel.js";
import {
  FILE_CODE,
  type IncomingFile,
  receiveUploadedFiles,
  sendDownloadHeader,
  sendEndOfFiles,
  sendFileContent,
  sendFileFailure,
} from "../devicelink/file-stream.js";
import { DL_STATUS, sendStatusResponse } from "../devicelink/messages.js";
import { isPlistDict, type PlistDict, type PlistValue } from "../plist/index.js";
import { MobileBackup2Error } from "./errors.js";

export type TransferProgress = (p: { phase: "receive" | "send"; loaded: number; total: number }) => void;

/** Device error codes for errnos (libimobiledevice's errno_to_device_error, on Linux names). */
const DEVICE_ERRORS: Record<string, number> = {
  ENOENT: -6,
  EEXIST: -7,
  ENOTDIR: -8,
  EISDIR: -9,
  EIO: -11,
  ENOSPC: -15,
};
const deviceError = (error: unknown) =>
  DEVICE_ERRORS[(error as NodeJS.ErrnoException).code ?? ""] ?? DL_STATUS.failed;

export class HostFolder {
  private sent = 0;
  private received = 0;
  /** Files the device uploaded and this folder kept. */
  filesReceived = 0;

  /** What the device announced for the upload under way (DLMessageUploadFiles [3]). */
  private receiving = 0;

  /** `writable`: a backup may change the folder; a restore only reads it. */
  constructor(
    readonly root: string,
    private readonly channel: DeviceLinkChannel,
    private readonly writable: boolean,
    private readonly onProgress?: TransferProgress,
  ) {}

  /** Answers one device request. Throws on a hostile path or a request this folder does not allow. */
  async handle([name, ...args]: DeviceLinkMessage): Promise<void> {
    switch (name) {
      case "DLMessageDownloadFiles":
        return this.sendFiles(strings(args[0], name));
      case "DLMessageGetFreeDiskSpace": {
        const fs = await statfs(this.root);
        return sendStatusResponse(this.channel, { code: DL_STATUS.ok, value: fs.bavail * fs.bsize });
      }
      case "DLContentsOfDirectory":
        return this.listDirectory(string(args[0], name));
    }
    if (!this.writable)
      throw new MobileBackup2Error(`The device sent ${name} during a restore, which only reads the backup.`, {
        name,
      });
    switch (name) {
      case "DLMessageUploadFiles":
        return this.receiveFiles(typeof args[2] === "number" ? args[2] : 0);
      case "DLMessageCreateDirectory":
        return this.reply(() => mkdir(this.resolve(string(args[0], name)), { recursive: true }), undefined);
      case "DLMessageMoveItems":
      case "DLMessageMoveFiles":
        return this.reply(() => this.move(args[0], name), {});
      case "DLMessageRemoveItems":
      case "DLMessageRemoveFiles":
        return this.reply(() => this.remove(strings(args[0], name)), {});
      case "DLMessageCopyItem":
        return this.reply(
          () =>
            cp(this.resolve(string(args[0], name)), this.resolve(string(args[1], name)), { recursive: true }),
          {},
        );
      default:
        throw new MobileBackup2Error(
          `The device sent ${name}, which Cradle does not know; the backup stops.`,
          {
            name,
          },
        );
    }
  }

  /** The folder path of a device path; a path that would leave the root is refused. */
  resolve(path: string): string {
    assertSafeRelativePath(path, `The device's path ${JSON.stringify(path)}`);
    return join(this.root, path);
  }

  private async reply(operation: () => Promise<unknown>, value: PlistValue | undefined): Promise<void> {
    try {
      await operation();
      await sendStatusResponse(this.channel, { code: DL_STATUS.ok, value });
    } catch (error) {
      if ((error as { code?: string }).code === "UnsafePathError") throw error;
      await sendStatusResponse(this.channel, {
        code: deviceError(error),
        text: (error as Error).message,
        value,
      });
    }
  }

  private async sendFiles(paths: string[]): Promise<void> {
    const failures: PlistDict = {};
    for (const path of paths) {
      const local = this.resolve(path);
      await sendDownloadHeader(this.channel, path);
      try {
        const content = createReadStream(local);
        await new Promise((resolve, reject) => content.once("open", resolve).once("error", reject));
        await sendFileContent(this.channel, this.counting(content, "send"));
      } catch (error) {
        const text = (error as Error).message;
        failures[path] = { DLFileErrorCode: deviceError(error), DLFileErrorString: text };
        await sendFileFailure(this.channel, FILE_CODE.localError, text);
      }
    }
    await sendEndOfFiles(this.channel);
    const failed = Object.keys(failures).length > 0;
    await sendStatusResponse(
      this.channel,
      failed
        ? { code: DL_STATUS.multiStatus, text: "Multi status", value: failures }
        : { code: DL_STATUS.ok, value: {} },
    );
  }

  private async receiveFiles(total: number): Promise<void> {
    this.receiving = this.received + total;
    await receiveUploadedFiles(this.channel, (path) => this.openIncoming(path));
    await sendStatusResponse(this.channel, { code: DL_STATUS.ok, value: {} });
  }

  private async openIncoming(path: string): Promise<IncomingFile> {
    const local = this.resolve(path);
    await mkdir(dirname(local), { recursive: true });
    const file: AtomicFile = await createAtomicFile(local, 0o644, false);
    return {
      write: async (chunk) => {
        await file.write(chunk);
        this.received += chunk.length;
      },
      finish: async () => {
        await file.commit();
        this.filesReceived++;
        this.onProgress?.({
          phase: "receive",
          loaded: this.received,
          total: Math.max(this.receiving, this.received),
        });
      },
      fail: () => file.discard(),
    };
  }

  /**
   * Uploads are written without a flush each (one fsync per file made backups three times
   * slower); this flushes every file and folder under the root, wherever the device moved them,
   * before the folder is shown. Files linked in from the last backup are clean: cheap to flush.
   */
  async flush(): Promise<void> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true });
    await syncFiles(
      entries
        .filter((entry) => entry.isFile() || entry.isDirectory())
        .map((entry) => join(entry.parentPath, entry.name)),
    );
  }

  get bytesReceived(): number {
    return this.received;
  }

  private async *counting(content: AsyncIterable<Buffer>, phase: "send"): AsyncIterable<Buffer> {
    for await (const chunk of content) {
      this.sent += chunk.length;
      yield chunk;
    }
    this.onProgress?.({ phase, loaded: this.sent, total: this.sent });
  }

  private async listDirectory(path: string): Promise<void> {
    const dir = this.resolve(path);
    const listing: PlistDict = {};
    for (const name of await readdir(dir).catch(() => [])) {
      const info = await stat(join(dir, name));
      listing[name] = {
        DLFileType: info.isDirectory()
          ? "DLFileTypeDirectory"
          : info.isFile()
            ? "DLFileTypeRegular"
            : "DLFileTypeUnknown",
        DLFileSize: info.size,
        DLFileModificationDate: info.mtime,
      };
    }
    await sendStatusResponse(this.channel, { code: DL_STATUS.ok, value: listing });
  }

  private async move(moves: PlistValue | undefined, name: string): Promise<void> {
    if (!isPlistDict(moves))
      throw new MobileBackup2Error(`The device sent ${name} without a dictionary.`, { name });
    for (const [from, to] of Object.entries(moves)) {
      const target = this.resolve(string(to, name));
      const source = this.resolve(from);
      await rm(target, { recursive: true, force: true });
      await rename(source, target);
    }
  }

  private async remove(paths: string[]): Promise<void> {
    for (const path of paths) await rm(this.resolve(path), { recursive: true, force: true });
  }
}

function string(value: PlistValue | undefined, message: string): string {
  if (typeof value !== "string")
    throw new MobileBackup2Error(`The device sent ${message} without a path.`, { name: message });
  return value;
}

function strings(value: PlistValue | undefined, message: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string"))
    throw new MobileBackup2Error(`The device sent ${message} without a list of paths.`, { name: message });
  return value as string[];
}
