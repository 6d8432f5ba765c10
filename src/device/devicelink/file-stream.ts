/**
 * The raw file streams mobilebackup2 sends outside the plist framing, after DLMessageDownloadFiles
 * (host to device) and DLMessageUploadFiles (device to host). All lengths are u32 big-endian.
 *
 *   download, per file:  len path | blocks
 *   upload, per file:    len device-name | len backup-path | blocks
 *   blocks:              (len+1 0x0C data)* then 1 0x00, or len+1 0x06|0x0B message (failed)
 *   end of batch:        0
 *
 * (libimobiledevice tools/idevicebackup2.c mb2_handle_send_file / mb2_handle_receive_files.)
 */
import type { DeviceLinkChannel } from "./channel.js";
import { DeviceLinkError } from "./errors.js";

export const FILE_CODE = { success: 0x00, localError: 0x06, remoteError: 0x0b, fileData: 0x0c } as const;
/** idevicebackup2 refuses longer names. */
export const MAX_FILE_NAME_BYTES = 4096;
/** idevicebackup2 sends 32 KiB blocks; a block longer than this is refused. */
export const MAX_FILE_BLOCK_BYTES = 8 << 20;
const SEND_BLOCK_BYTES = 32 * 1024;

/** Where a received file's bytes go. `fail` is called instead of `finish` when the sender gave up. */
export interface IncomingFile {
  write(chunk: Buffer): Promise<void>;
  finish(): Promise<void>;
  fail(reason: string): Promise<void>;
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value, 0);
  return bytes;
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length === 0 || bytes.length > MAX_FILE_NAME_BYTES)
    throw new DeviceLinkError(
      `A file name of ${bytes.length} bytes cannot be sent (1 to ${MAX_FILE_NAME_BYTES}).`,
      {
        name: text,
      },
    );
  return Buffer.concat([u32(bytes.length), bytes]);
}

/** Sends one file's blocks: its content in 32 KiB pieces, then the success marker. */
export async function sendFileContent(
  channel: DeviceLinkChannel,
  content: AsyncIterable<Buffer>,
): Promise<void> {
  for await (const chunk of content) {
    for (let at = 0; at < chunk.length; at += SEND_BLOCK_BYTES) {
      const piece = chunk.subarray(at, at + SEND_BLOCK_BYTES);
      await channel.writeRaw(
        Buffer.concat([u32(piece.length + 1), Buffer.from([FILE_CODE.fileData]), piece]),
      );
    }
  }
  await channel.writeRaw(Buffer.concat([u32(1), Buffer.from([FILE_CODE.success])]));
}

/** Sends the failure marker in place of a file's content. */
export function sendFileFailure(channel: DeviceLinkChannel, code: number, reason: string): Promise<void> {
  const text = Buffer.from(reason, "utf8");
  return channel.writeRaw(Buffer.concat([u32(text.length + 1), Buffer.from([code]), text]));
}

/** Host side of a download: the path the device asked for. */
export function sendDownloadHeader(channel: DeviceLinkChannel, path: string): Promise<void> {
  return channel.writeRaw(lengthPrefixed(path));
}

/** Device side of an upload: the device's own name for the file, then where it goes in the backup. */
export function sendUploadHeader(
  channel: DeviceLinkChannel,
  deviceName: string,
  backupPath: string,
): Promise<void> {
  return channel.writeRaw(Buffer.concat([lengthPrefixed(deviceName), lengthPrefixed(backupPath)]));
}

/** Ends a batch of files, either direction. */
export function sendEndOfFiles(channel: DeviceLinkChannel): Promise<void> {
  return channel.writeRaw(u32(0));
}

/** A name, or undefined at the zero length that ends the batch. */
async function readName(channel: DeviceLinkChannel, what: string): Promise<string | undefined> {
  const length = (await channel.readRaw(4, `the length of ${what}`)).readUInt32BE(0);
  if (length === 0) return undefined;
  if (length > MAX_FILE_NAME_BYTES)
    throw new DeviceLinkError(
      `${channel.peer} sent ${what} of ${length} bytes; at most ${MAX_FILE_NAME_BYTES}.`,
      {
        peer: channel.peer,
        length,
      },
    );
  return (await channel.readRaw(length, what)).toString("utf8");
}

/** Reads one file's blocks into `file`; returns the number of content bytes. */
async function receiveFileContent(
  channel: DeviceLinkChannel,
  path: string,
  file: IncomingFile,
): Promise<number> {
  let received = 0;
  for (;;) {
    const length = (await channel.readRaw(4, `a block length of ${path}`)).readUInt32BE(0);
    if (length === 0 || length - 1 > MAX_FILE_BLOCK_BYTES)
      throw new DeviceLinkError(`${channel.peer} sent a block of ${length} bytes for ${path}.`, {
        peer: channel.peer,
        path,
        length,
      });
    const [code] = await channel.readRaw(1, `a block code of ${path}`);
    const body = length > 1 ? await channel.readRaw(length - 1, `a block of ${path}`) : Buffer.alloc(0);
    if (code === FILE_CODE.fileData) {
      await file.write(body);
      received += body.length;
    } else if (code === FILE_CODE.success) {
      await file.finish();
      return received;
    } else if (code === FILE_CODE.localError || code === FILE_CODE.remoteError) {
      await file.fail(body.toString("utf8"));
      return received;
    } else {
      throw new DeviceLinkError(
        `${channel.peer} sent an unknown block code 0x${code?.toString(16)} for ${path}.`,
        {
          peer: channel.peer,
          path,
          code,
        },
      );
    }
  }
}

/** Device side of DLMessageDownloadFiles: receives the files the host streams, until the end marker. */
export async function receiveDownloadedFiles(
  channel: DeviceLinkChannel,
  open: (path: string) => Promise<IncomingFile>,
): Promise<void> {
  for (;;) {
    const path = await readName(channel, "a downloaded file's path");
    if (path === undefined) return;
    await receiveFileContent(channel, path, await open(path));
  }
}

/** Host side of DLMessageUploadFiles: receives the files the device streams, until the end marker. */
export async function receiveUploadedFiles(
  channel: DeviceLinkChannel,
  open: (backupPath: string, deviceName: string) => Promise<IncomingFile>,
  onBytes?: (bytes: number) => void,
): Promise<void> {
  for (;;) {
    const deviceName = await readName(channel, "an uploaded file's device name");
    if (deviceName === undefined) return;
    const backupPath = await readName(channel, "an uploaded file's backup path");
    if (backupPath === undefined)
      throw new DeviceLinkError(`${channel.peer} sent ${deviceName} without a backup path.`, {
        peer: channel.peer,
      });
    const received = await receiveFileContent(channel, backupPath, await open(backupPath, deviceName));
    onBytes?.(received);
  }
}
