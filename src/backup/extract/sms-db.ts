/**
 * Reads sms.db (HomeDomain Library/SMS/sms.db): chats (chat), who is in them (handle through
 * chat_handle_join), and their messages (message through chat_message_join) with attachment
 * names (attachment through message_attachment_join). message.date counts from 2001-01-01, in
 * seconds before iOS 11 and in nanoseconds since. Newer iOS leaves message.text empty and keeps
 * the body in attributedBody, an NSAttributedString in Apple's typedstream format.
 */
import Database from "better-sqlite3";

export interface Chat {
  id: number;
  identifier: string;
  service: string;
  displayName: string;
  participants: string[];
  messages: Message[];
}

export interface Message {
  date: Date;
  fromMe: boolean;
  /** Who sent it (a phone number or email); undefined for messages sent from the device. */
  sender?: string;
  text: string;
  attachments: string[];
}

const APPLE_EPOCH_MS = Date.UTC(2001, 0, 1);
/** Above this, message.date is in nanoseconds (iOS 11+): 1e11 seconds is the year 5170. */
const NANOSECOND_DATES = 1e11;

export function appleDate(value: number | bigint | null): Date {
  const n = Number(value ?? 0);
  return new Date(APPLE_EPOCH_MS + (n > NANOSECOND_DATES ? n / 1e6 : n * 1000));
}

/** The plain string inside an attributedBody typedstream: the bytes that follow "NSString". */
export function attributedBodyText(blob: Uint8Array | null): string | undefined {
  if (!blob) return undefined;
  const bytes = Buffer.from(blob);
  const marker = bytes.indexOf("NSString");
  if (marker < 0) return undefined;
  // "NSString", then a class-version header of five bytes, then the length and the UTF-8 text.
  let at = marker + "NSString".length + 5;
  let length = bytes[at];
  if (length === undefined) return undefined;
  at++;
  if (length === 0x81) {
    length = bytes.readUInt16LE(at);
    at += 2;
  } else if (length === 0x82) {
    length = bytes.readUInt32LE(at);
    at += 4;
  }
  if (at + length > bytes.length) return undefined;
  return bytes.toString("utf8", at, at + length);
}

type ChatRow = { id: number; identifier: string | null; service: string | null; displayName: string | null };
type MessageRow = {
  id: number;
  date: number | null;
  fromMe: number;
  sender: string | null;
  text: string | null;
  body: Buffer | null;
};

/** Every chat with its messages, oldest first; messages in no chat come under a chat of id 0. */
export function readChats(path: string): Chat[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const chats = db
      .prepare(
        "SELECT ROWID AS id, chat_identifier AS identifier, service_name AS service, display_name AS displayName FROM chat ORDER BY ROWID",
      )
      .all() as ChatRow[];
    const participants = db.prepare(
      "SELECT h.id AS id FROM chat_handle_join j JOIN handle h ON h.ROWID = j.handle_id WHERE j.chat_id = ? ORDER BY h.id",
    );
    const columns = `m.ROWID AS id, m.date AS date, m.is_from_me AS fromMe, h.id AS sender, m.text AS text, m.attributedBody AS body
      FROM message m LEFT JOIN handle h ON h.ROWID = m.handle_id`;
    const inChat = db.prepare(
      `SELECT ${columns} JOIN chat_message_join j ON j.message_id = m.ROWID WHERE j.chat_id = ? ORDER BY m.date, m.ROWID`,
    );
    const unfiled = db.prepare(
      `SELECT ${columns} WHERE m.ROWID NOT IN (SELECT message_id FROM chat_message_join) ORDER BY m.date, m.ROWID`,
    );
    const attachments = db.prepare(
      "SELECT coalesce(a.transfer_name, a.filename) AS name FROM message_attachment_join j JOIN attachment a ON a.ROWID = j.attachment_id WHERE j.message_id = ? ORDER BY a.ROWID",
    );
    const toMessage = (row: MessageRow): Message => ({
      date: appleDate(row.date),
      fromMe: row.fromMe === 1,
      sender: row.fromMe === 1 ? undefined : (row.sender ?? undefined),
      text: row.text ?? attributedBodyText(row.body) ?? "",
      attachments: (attachments.all(row.id) as { name: string | null }[]).map((a) => a.name ?? "(unnamed)"),
    });
    const out: Chat[] = chats.map((chat) => ({
      id: chat.id,
      identifier: chat.identifier ?? `chat-${chat.id}`,
      service: chat.service ?? "",
      displayName: chat.displayName ?? "",
      participants: (participants.all(chat.id) as { id: string }[]).map((p) => p.id),
      messages: (inChat.all(chat.id) as MessageRow[]).map(toMessage),
    }));
    const loose = (unfiled.all() as MessageRow[]).map(toMessage);
    if (loose.length > 0)
      out.push({
        id: 0,
        identifier: "no-chat",
        service: "",
        displayName: "",
        participants: [],
        messages: loose,
      });
    return out;
  } finally {
    db.close();
  }
}
