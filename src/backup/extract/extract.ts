/**
 * `extract`: a device's contacts, calendars, photos or messages as files a computer opens
 * (vCards, .ics, photo files, text), from anything that lists device files (DeviceFiles).
 * The output folder must be new or empty, so nothing of the user's is overwritten.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
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

export async function extract(
  files: DeviceFiles,
  kind: ExtractKind,
  toDirArg: string,
): Promise<ExtractResult> {
  const to = resolve(toDirArg);
  prepareOutput(to);
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

function prepareOutput(to: string): void {
  if (existsSync(to) && (!statSync(to).isDirectory() || readdirSync(to).length > 0))
    throw new ExtractError(
      `${to} is not an empty folder; extract writes into a new or empty one, so nothing there is overwritten.`,
      {
        to,
      },
    );
  mkdirSync(to, { recursive: true, mode: 0o700 });
}
