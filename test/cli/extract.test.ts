import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BackupFolderTarget, createBackupEncrypter } from "../../src/backup/ios-backup/index.js";
import { makeSmsDb } from "../../src/device/virtual/sms-db.js";
import { exportItems, homeItems } from "../backup/ios-backup/trees.js";

/** Runs the built CLI (npm test builds before it runs vitest), as a user would. */
const MAIN = resolve("dist/cli/main.js");

function cradle(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    env: { ...process.env, CRADLE_BACKUP_PASSWORD: "", ...env },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function encryptedPhoneBackup() {
  const root = mkdtempSync(join(tmpdir(), "cradle-cli-extract-"));
  const home = join(root, "home");
  mkdirSync(join(home, "Library", "SMS"), { recursive: true });
  makeSmsDb(
    join(home, "Library", "SMS", "sms.db"),
    [{ identifier: "+491701234", service: "iMessage", handles: ["+491701234"] }],
    [{ chat: 0, from: "+491701234", text: "hello", date: new Date("2024-01-02T03:04:05Z") }],
  );
  const sealer = await createBackupEncrypter("s3cret", { passwordIterations: 100, iterations: 10 });
  await exportItems(new BackupFolderTarget(join(root, "backup"), { sealer }), homeItems(home));
  return root;
}

describe("cradle extract", () => {
  it("extracts from a snapshot of the repository (SNAP = latest or an id prefix)", () => {
    const root = mkdtempSync(join(tmpdir(), "cradle-cli-extract-snap-"));
    const env = { CRADLE_HOME: join(root, "home"), CRADLE_REPO: "", CRADLE_PASSWORD: "" };
    expect(cradle(["device", "create", join(root, "phone"), "--sample", "5"], env).code).toBe(0);
    expect(cradle(["backup", `ios:${join(root, "phone")}`], env).code).toBe(0);
    const [snapshot] = JSON.parse(cradle(["snapshots", "--json"], env).stdout) as { id: string }[];
    const contacts = cradle(["extract", "latest", "contacts", "--to", join(root, "contacts"), "--json"], env);
    expect(contacts.code, contacts.stderr).toBe(0);
    expect(JSON.parse(contacts.stdout)).toMatchObject({ kind: "contacts", files: 5, errors: [] });
    expect(readdirSync(join(root, "contacts")).filter((n) => n.endsWith(".vcf"))).toHaveLength(5);
    const prefix = snapshot?.id.slice(0, 8) as string;
    const photos = cradle(["extract", prefix, "photos", "--to", join(root, "photos"), "--json"], env);
    expect(photos.code, photos.stderr).toBe(0);
    expect(JSON.parse(photos.stdout)).toMatchObject({ kind: "photos", files: 12 });
    expect(cradle(["extract", "nosuch", "photos", "--to", join(root, "x")], env).code).toBe(1);
  });

  it("extracts messages from an encrypted backup with the password from a file, --json", async () => {
    const root = await encryptedPhoneBackup();
    writeFileSync(join(root, "pw"), "s3cret\n");
    const run = cradle([
      "extract",
      `backup:${join(root, "backup")}`,
      "messages",
      "--to",
      join(root, "out"),
      "--password-file",
      join(root, "pw"),
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: "messages", files: 1, messages: 1, errors: [] });
    expect(readdirSync(join(root, "out"))).toEqual(["+491701234.txt"]);
    expect(run.stdout + run.stderr).not.toContain("s3cret");
  });

  it("a wrong password exits 1 with a clear error; no password and no terminal exits 2; bad usage exits 2", async () => {
    const root = await encryptedPhoneBackup();
    const wrong = cradle(
      ["extract", `backup:${join(root, "backup")}`, "messages", "--to", join(root, "o1"), "--json"],
      {
        CRADLE_BACKUP_PASSWORD: "nope",
      },
    );
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stderr)).toMatchObject({ code: "WrongPasswordError", exitCode: 1 });
    const none = cradle(["extract", `backup:${join(root, "backup")}`, "messages", "--to", join(root, "o2")]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/CRADLE_BACKUP_PASSWORD/);
    expect(readdirSync(root).sort()).toEqual(["backup", "home"]);
    expect(cradle(["extract", `backup:${root}`, "songs", "--to", join(root, "x")]).code).toBe(2);
    expect(cradle(["extract", "snap:abc", "messages", "--to", join(root, "x")]).code).toBe(2);
    expect(cradle(["extract", "--help"]).stdout).toContain("EXIT STATUS");
  });
});
