/**
 * `extract`: a device's contacts, calendars, photos or messages as files a computer opens
 * (vCards, .ics, photo files, text), from anything that lists device files (DeviceFiles).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ReadError } from "../../core/endpoint.js";
import type { DeviceFiles } from "./device-files.js";
import { ExtractError } from "./errors.js";
import { extractMessages } from "./messages.js";
import { extractPhotos } from "./photos.js";
import { extractRecords } from "./records.js";

export const EXTRACT_KINDS = ["contacts", "calendars", "photos", "messages"] as const;
export type ExtractKind = (typeof EXTRACT_KINDS)[number];

export interface ExtractResult {
  kind: ExtractKind;
  source: string;
  to: string;
  /** Files written. */
  files: number;
  /** Messages across the chats (messages only). */
  messages?: number;
  /** Records that could not be read or written: reported, skipped. */
  errors: ReadError[];
}

/**
 * Writes into `toDir`, which must be new or empty; if extraction fails part way, the folder is
 * emptied again (or removed, when extract made it), so a failure leaves nothing half-written.
 */
export async function extract(
  files: DeviceFiles,
  kind: ExtractKind,
  toDirArg: string,
): Promise<ExtractResult> {
  const to = resolve(toDirArg);
  const existed = existsSync(to);
  if (existed && (!statSync(to).isDirectory() || readdirSync(to).length > 0))
    throw new ExtractError(
      `${to} is not an empty folder; extract writes into a new or empty one, so nothing there is overwritten.`,
      { to },
    );
  mkdirSync(to, { recursive: true, mode: 0o700 });
  try {
    return await extractInto(files, kind, to);
  } catch (error) {
    if (existed) for (const name of readdirSync(to)) rmSync(join(to, name), { recursive: true, force: true });
    else rmSync(to, { recursive: true, force: true });
    throw error;
  }
}

async function extractInto(files: DeviceFiles, kind: ExtractKind, to: string): Promise<ExtractResult> {
  const base = { kind, source: files.uri, to };
  switch (kind) {
    case "contacts":
    case "calendars": {
      const { written, errors } = await extractRecords(files, kind, to);
      return { ...base, files: written, errors };
    }
    case "photos":
      return { ...base, files: (await extractPhotos(files, to)).written, errors: [] };
    case "messages": {
      const { chats, messages } = await extractMessages(files, to);
      return { ...base, files: chats, messages, errors: [] };
    }
  }
}
