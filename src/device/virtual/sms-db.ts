/**
 * A small sms.db with the iOS tables and columns Messages keeps and extract reads (the column
 * names and types of iOS's message, handle, chat, attachment and join tables; other columns left
 * out). The virtual iPhone's messages and the tests' cases are written through it. Dates are
 * Apple nanoseconds unless `seconds` says otherwise (iOS 10 and earlier).
 */
import Database from "better-sqlite3";

const SCHEMA = `
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, country TEXT, service TEXT NOT NULL, uncanonicalized_id TEXT, person_centric_id TEXT, UNIQUE (id, service));
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT, replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT, country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0, type INTEGER DEFAULT 0, service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0, date INTEGER, date_read INTEGER, date_delivered INTEGER, is_delivered INTEGER DEFAULT 0, is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0, is_from_me INTEGER DEFAULT 0, is_empty INTEGER DEFAULT 0, cache_has_attachments INTEGER DEFAULT 0, cache_roomnames TEXT);
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, style INTEGER, state INTEGER, account_id TEXT, properties BLOB, chat_identifier TEXT, service_name TEXT, room_name TEXT, account_login TEXT, is_archived INTEGER DEFAULT 0, last_addressed_handle TEXT, display_name TEXT, group_id TEXT);
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, created_date INTEGER DEFAULT 0, start_date INTEGER DEFAULT 0, filename TEXT, uti TEXT, mime_type TEXT, transfer_state INTEGER DEFAULT 0, is_outgoing INTEGER DEFAULT 0, user_info BLOB, transfer_name TEXT, total_bytes INTEGER DEFAULT 0);
CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, message_date INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id));
CREATE TABLE message_attachment_join (message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, attachment_id INTEGER REFERENCES attachment (ROWID) ON DELETE CASCADE, UNIQUE(message_id, attachment_id));
`;

export interface SmsChat {
  identifier: string;
  service: "iMessage" | "SMS";
  displayName?: string;
  handles: string[];
}

export interface SmsMessage {
  /** Index into the chats, or undefined for a message in no chat. */
  chat?: number;
  /** A handle id (phone or email), or "me". */
  from: string;
  text?: string;
  /** The body kept only in attributedBody, as newer iOS does. */
  attributedText?: string;
  date: Date;
  /** Store the date in seconds, as iOS 10 and earlier did. */
  seconds?: boolean;
  attachments?: string[];
}

const APPLE_EPOCH_MS = Date.UTC(2001, 0, 1);

/** A minimal NSAttributedString typedstream around `text`, laid out as Messages writes it. */
export function attributedBody(text: string): Buffer {
  const utf8 = Buffer.from(text, "utf8");
  const length =
    utf8.length < 0x80
      ? Buffer.from([utf8.length])
      : Buffer.from([0x81, utf8.length & 0xff, utf8.length >> 8]);
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(
      parts.map((part) => (typeof part === "string" ? Buffer.from(part, "latin1") : Buffer.from(part))),
    );
  return Buffer.concat([
    bytes([0x04, 0x0b], "streamtyped", [0x81, 0xe8, 0x03, 0x84, 0x01, 0x40, 0x84, 0x84, 0x84, 0x12]),
    bytes(
      "NSAttributedString",
      [0x00, 0x84, 0x84, 0x08],
      "NSObject",
      [0x00, 0x85, 0x92, 0x84, 0x84, 0x84, 0x08],
    ),
    bytes("NSString", [0x01, 0x94, 0x84, 0x01, 0x2b]),
    length,
    utf8,
    bytes(
      [0x86, 0x84, 0x02],
      "iI",
      [0x01, utf8.length & 0x7f, 0x92, 0x84, 0x84, 0x84, 0x0c],
      "NSDictionary",
      [0x00],
    ),
  ]);
}

export function makeSmsDb(path: string, chats: SmsChat[], messages: SmsMessage[]): void {
  const db = new Database(path);
  try {
    db.exec(SCHEMA);
    const handleIds = new Map<string, number>();
    const handleOf = (id: string, service: string) => {
      const known = handleIds.get(id);
      if (known !== undefined) return known;
      const rowid = Number(
        db.prepare("INSERT INTO handle (id, service) VALUES (?, ?)").run(id, service).lastInsertRowid,
      );
      handleIds.set(id, rowid);
      return rowid;
    };
    const chatIds = chats.map((chat, i) => {
      const rowid = Number(
        db
          .prepare(
            "INSERT INTO chat (guid, style, chat_identifier, service_name, display_name) VALUES (?, ?, ?, ?, ?)",
          )
          .run(
            `${chat.service};-;${chat.identifier}`,
            chat.handles.length > 1 ? 43 : 45,
            chat.identifier,
            chat.service,
            chat.displayName ?? "",
          ).lastInsertRowid,
      );
      for (const handle of chat.handles)
        db.prepare("INSERT INTO chat_handle_join VALUES (?, ?)").run(rowid, handleOf(handle, chat.service));
      return { rowid, index: i };
    });
    messages.forEach((message, i) => {
      const ms = message.date.getTime() - APPLE_EPOCH_MS;
      const date = message.seconds ? Math.round(ms / 1000) : BigInt(ms) * 1_000_000n;
      const chat = message.chat === undefined ? undefined : chats[message.chat];
      const fromMe = message.from === "me";
      const handle = fromMe ? 0 : handleOf(message.from, chat?.service ?? "SMS");
      const rowid = Number(
        db
          .prepare(
            "INSERT INTO message (guid, text, handle_id, attributedBody, service, date, is_from_me, cache_has_attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          )
          .run(
            `MSG-${i}`,
            message.text ?? null,
            handle,
            message.attributedText === undefined ? null : attributedBody(message.attributedText),
            chat?.service ?? "SMS",
            date,
            fromMe ? 1 : 0,
            message.attachments?.length ? 1 : 0,
          ).lastInsertRowid,
      );
      if (message.chat !== undefined)
        db.prepare("INSERT INTO chat_message_join VALUES (?, ?, ?)").run(
          chatIds[message.chat]?.rowid,
          rowid,
          date,
        );
      for (const name of message.attachments ?? []) {
        const attachment = db
          .prepare("INSERT INTO attachment (guid, filename, transfer_name) VALUES (?, ?, ?)")
          .run(`ATT-${i}-${name}`, `~/Library/SMS/Attachments/00/00/${name}`, name).lastInsertRowid;
        db.prepare("INSERT INTO message_attachment_join VALUES (?, ?)").run(rowid, attachment);
      }
    });
  } finally {
    db.close();
  }
}

const SAMPLE_CHATS: SmsChat[] = [
  { identifier: "+4915112345678", service: "iMessage", handles: ["+4915112345678"] },
  { identifier: "+12025550143", service: "SMS", handles: ["+12025550143"] },
  {
    identifier: "chat493021",
    service: "iMessage",
    displayName: "Garden club",
    handles: ["+4917055500199", "lena@example.org"],
  },
];

const SAMPLE_LINES: [chat: number, from: string, text: string][] = [
  [0, "+4915112345678", "Are we still on for Saturday?"],
  [0, "me", "Yes! 10:00 at the market."],
  [0, "+4915112345678", "Perfect, see you there 🌞"],
  [1, "+12025550143", "Your table for 4 is confirmed for 7:30 pm."],
  [1, "me", "Thanks, see you then."],
  [2, "lena@example.org", "The tomatoes are ready to pick."],
  [2, "+4917055500199", "I'll bring baskets."],
  [2, "me", "Great, I'll bring coffee."],
];

/**
 * The virtual iPhone's messages: three chats (an iMessage, an SMS, a group), some bodies kept only
 * in attributedBody as newer iOS keeps them; one message a day from `start`. Returns the count.
 */
export function writeSampleMessages(path: string, start: Date): number {
  const day = 86_400_000;
  makeSmsDb(
    path,
    SAMPLE_CHATS,
    SAMPLE_LINES.map(([chat, from, text], i) => ({
      chat,
      from,
      ...(i % 3 === 2 ? { attributedText: text } : { text }),
      date: new Date(start.getTime() + i * day),
    })),
  );
  return SAMPLE_LINES.length;
}
