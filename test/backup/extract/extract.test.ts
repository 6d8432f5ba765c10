import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseVCards } from "../../../src/adapters/contacts/vcard.js";
import { extract, homeTreeFiles, sourceFiles } from "../../../src/backup/extract/index.js";
import { attributedBodyText } from "../../../src/backup/extract/sms-db.js";
import {
  BackupFolderSource,
  BackupFolderTarget,
  createBackupEncrypter,
} from "../../../src/backup/ios-backup/index.js";
import { createVirtualDevice } from "../../../src/device/virtual/create.js";
import { devicePath } from "../../../src/device/virtual/layout.js";
import { attributedBody, makeSmsDb } from "../../../src/device/virtual/sms-db.js";
import { exportItems, homeItems } from "../ios-backup/trees.js";

const tempRoot = () => mkdtempSync(join(tmpdir(), "cradle-extract-test-"));
const at = (iso: string) => new Date(iso);

/** A home with an sms.db of two chats, a message in no chat, and camera roll files. */
function phoneHome(root: string): string {
  const home = join(root, "home");
  mkdirSync(join(home, "Library", "SMS"), { recursive: true });
  makeSmsDb(
    join(home, "Library", "SMS", "sms.db"),
    [
      { identifier: "+4915112345678", service: "iMessage", handles: ["+4915112345678"] },
      {
        identifier: "chat123456789",
        service: "SMS",
        displayName: "Climbing",
        handles: ["+4930111", "anna@example.com"],
      },
    ],
    [
      { chat: 0, from: "+4915112345678", text: "Hi, are you home?", date: at("2024-11-05T09:00:00Z") },
      {
        chat: 0,
        from: "me",
        text: "Yes\nwith the keys",
        date: at("2024-11-05T09:01:30Z"),
        attachments: ["IMG_0001.HEIC"],
      },
      {
        chat: 0,
        from: "+4915112345678",
        attributedText: "Only in the attributed body ✓",
        date: at("2024-11-05T09:02:00Z"),
      },
      {
        chat: 1,
        from: "anna@example.com",
        text: "Saturday?",
        date: at("2016-03-01T18:00:00Z"),
        seconds: true,
      },
      { from: "+4930999", text: "Your code is 1234", date: at("2024-11-06T07:00:00Z") },
    ],
  );
  const dcim = join(home, "Media", "DCIM", "100APPLE");
  mkdirSync(dcim, { recursive: true });
  writeFileSync(join(dcim, "IMG_0001.HEIC"), Buffer.from("heic image bytes"));
  writeFileSync(join(dcim, "IMG_0002.MOV"), Buffer.alloc(100_000, 5));
  mkdirSync(join(home, "Media", "PhotoData"), { recursive: true });
  writeFileSync(join(home, "Media", "PhotoData", "Photos.sqlite"), "not a photo");
  return home;
}

/** Every file under dir: relative path → content. */
function tree(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const path = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, path)).isDirectory()) Object.assign(out, tree(dir, path));
    else out[path] = readFileSync(join(dir, path), "latin1");
  }
  return out;
}

async function exportedBackup(home: string, target: string, password?: string) {
  const sealer = password
    ? await createBackupEncrypter(password, { passwordIterations: 100, iterations: 10 })
    : undefined;
  const items = homeItems(home).filter((item) => !/-(wal|shm)$/.test(item.entry.relativePath));
  await exportItems(new BackupFolderTarget(target, { sealer }), items);
  return target;
}

describe("extract messages", () => {
  it("writes each chat of sms.db as readable text, oldest message first", async () => {
    const root = tempRoot();
    const result = await extract(homeTreeFiles(phoneHome(root)), "messages", join(root, "out"));
    expect(result).toMatchObject({ files: 3, messages: 5, errors: [] });
    const files = tree(join(root, "out"));
    expect(Object.keys(files)).toEqual(["+4915112345678.txt", "chat123456789.txt", "no-chat.txt"]);
    expect(Buffer.from(files["+4915112345678.txt"] as string, "latin1").toString("utf8")).toBe(
      [
        "Chat: +4915112345678",
        "Service: iMessage",
        "With: +4915112345678",
        "",
        "2024-11-05 09:00:00 UTC  +4915112345678: Hi, are you home?",
        "2024-11-05 09:01:30 UTC  Me: Yes",
        "    with the keys [attachment: IMG_0001.HEIC]",
        "2024-11-05 09:02:00 UTC  +4915112345678: Only in the attributed body ✓",
        "",
      ].join("\n"),
    );
    expect(files["chat123456789.txt"]).toContain(
      "Chat: Climbing\nService: SMS\nWith: +4930111, anna@example.com\n",
    );
    expect(files["chat123456789.txt"]).toContain("2016-03-01 18:00:00 UTC  anna@example.com: Saturday?");
    expect(files["no-chat.txt"]).toContain("2024-11-06 07:00:00 UTC  +4930999: Your code is 1234");
  });

  it("reads a long attributed body (two-byte length)", () => {
    const text = "x".repeat(300);
    expect(attributedBodyText(attributedBody(text))).toBe(text);
    expect(attributedBodyText(Buffer.from("no string here"))).toBeUndefined();
  });

  it("gives the same text from an encrypted backup of the phone as from the phone", async () => {
    const root = tempRoot();
    const home = phoneHome(root);
    await extract(homeTreeFiles(home), "messages", join(root, "from-home"));
    const backup = await exportedBackup(home, join(root, "backup"), "pw");
    const source = new BackupFolderSource(backup, { password: "pw" });
    await extract(sourceFiles(source), "messages", join(root, "from-backup"));
    await source.close();
    expect(tree(join(root, "from-backup"))).toEqual(tree(join(root, "from-home")));
  });
});

describe("extract photos", () => {
  it("copies the camera roll's DCIM files with their bytes and times, and nothing else", async () => {
    const root = tempRoot();
    const home = phoneHome(root);
    const backup = await exportedBackup(home, join(root, "backup"));
    const source = new BackupFolderSource(backup);
    const result = await extract(sourceFiles(source), "photos", join(root, "out"));
    await source.close();
    expect(result.files).toBe(2);
    expect(tree(join(root, "out"))).toEqual({
      "DCIM/100APPLE/IMG_0001.HEIC": "heic image bytes",
      "DCIM/100APPLE/IMG_0002.MOV": Buffer.alloc(100_000, 5).toString("latin1"),
    });
    const original = statSync(join(home, "Media", "DCIM", "100APPLE", "IMG_0001.HEIC")).mtimeMs;
    expect(statSync(join(root, "out", "DCIM", "100APPLE", "IMG_0001.HEIC")).mtimeMs).toBe(
      Math.floor(original / 1000) * 1000,
    );
  });
});

describe("extract contacts", () => {
  it("writes one vCard per contact, the same from the phone and from its backup", async () => {
    const root = tempRoot();
    const home = join(root, "device");
    createVirtualDevice(home, { sample: 6, seed: "extract" });
    const fromHome = await extract(homeTreeFiles(home), "contacts", join(root, "from-home"));
    expect(fromHome).toMatchObject({ files: 6, errors: [] });
    const backup = await exportedBackup(home, join(root, "backup"));
    const source = new BackupFolderSource(backup);
    await extract(sourceFiles(source), "contacts", join(root, "from-backup"));
    await source.close();
    const cards = tree(join(root, "from-home"));
    const names = Object.keys(cards).filter((name) => name.endsWith(".vcf"));
    expect(names).toHaveLength(6);
    for (const name of names)
      expect(parseVCards(Buffer.from(cards[name] as string, "latin1").toString(), name).cards).toHaveLength(
        1,
      );
    expect(Object.keys(tree(join(root, "from-backup")))).toEqual(Object.keys(cards));
  });
});

describe("extract: refusals", () => {
  it("says what is missing: no sms.db, no calendar store", async () => {
    const root = tempRoot();
    const home = join(root, "device");
    createVirtualDevice(home, { sample: 1, seed: "extract" });
    rmSync(devicePath(home, "messages"));
    await expect(extract(homeTreeFiles(home), "messages", join(root, "m"))).rejects.toThrow(
      /holds no Library\/SMS\/sms.db/,
    );
    await expect(extract(homeTreeFiles(phoneHome(root)), "calendars", join(root, "c"))).rejects.toMatchObject(
      {
        code: "ExtractError",
      },
    );
  });

  it("never writes into a folder that holds something", async () => {
    const root = tempRoot();
    const out = join(root, "out");
    mkdirSync(out);
    writeFileSync(join(out, "mine.txt"), "keep");
    await expect(extract(homeTreeFiles(phoneHome(root)), "messages", out)).rejects.toThrow(
      /not an empty folder/,
    );
    expect(readdirSync(out)).toEqual(["mine.txt"]);
  });
});

describe("extract: a failure leaves nothing", () => {
  it("a wrong password removes the output folder it made", async () => {
    const root = tempRoot();
    const backup = await exportedBackup(phoneHome(root), join(root, "backup"), "right");
    const source = new BackupFolderSource(backup, { password: "wrong" });
    await expect(extract(sourceFiles(source), "messages", join(root, "out"))).rejects.toMatchObject({
      code: "WrongPasswordError",
    });
    await source.close();
    expect(readdirSync(root).sort()).toEqual(["backup", "home"]);
  });
});
