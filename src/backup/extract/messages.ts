/**
 * Messages: each chat of sms.db as one readable text file (a heading naming the chat and its
 * people, then one line per message: UTC time, sender, text, attachment names).
 */
import { VdirStore } from "../../adapters/shared/vdir-store.js";
import type { DeviceFiles } from "./device-files.js";
import { ExtractError } from "./errors.js";
import { type Chat, type Message, readChats } from "./sms-db.js";
import { withTempHome, withWal } from "./temp-home.js";

const SMS_DB = "Library/SMS/sms.db";

export interface MessagesExtracted {
  chats: number;
  messages: number;
}

export async function extractMessages(files: DeviceFiles, toDir: string): Promise<MessagesExtracted> {
  return withTempHome(files, withWal("HomeDomain", SMS_DB), async (home, found) => {
    if (!found.includes(SMS_DB))
      throw new ExtractError(`${files.uri} holds no ${SMS_DB}, so it has no messages to extract.`, {
        source: files.uri,
      });
    const chats = readChats(`${home}/${SMS_DB}`);
    const store = new VdirStore(toDir, ".txt");
    const taken = new Set<string>();
    const items = chats.map((chat) => {
      const id = store.newId(chat.identifier, taken);
      taken.add(id);
      return { id, text: () => chatText(chat) };
    });
    const results = await store.writeMany(items);
    for (const [i, result] of results.entries())
      if ("error" in result)
        throw new ExtractError(`Could not write ${toDir}/${items[i]?.id}: ${result.error}.`, { toDir });
    return { chats: chats.length, messages: chats.reduce((n, chat) => n + chat.messages.length, 0) };
  });
}

export function chatText(chat: Chat): string {
  const title = chat.displayName || chat.participants.join(", ") || chat.identifier;
  const heading = [
    `Chat: ${title}`,
    `Service: ${chat.service || "unknown"}`,
    `With: ${chat.participants.join(", ") || "(nobody listed)"}`,
    "",
  ];
  return `${[...heading, ...chat.messages.map(messageLine)].join("\n")}\n`;
}

function messageLine(message: Message): string {
  const when = message.date
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " UTC");
  const who = message.fromMe ? "Me" : (message.sender ?? "unknown");
  const attachments = message.attachments.map((name) => ` [attachment: ${name}]`).join("");
  // A message's own line breaks are indented, so every message still starts a line with its time.
  return `${when}  ${who}: ${message.text.replace(/\n/g, "\n    ")}${attachments}`;
}
