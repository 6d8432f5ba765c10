import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { describeTree, EXCLUDED_IN_PHONE, makePhone, tempDir, writeIn } from "../backup/phone-tree.js";

/** The backup commands through the built CLI (npm test builds first), as a user runs them. */
const MAIN = resolve("dist/cli/main.js");

function cradle(args: string[], home: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: home,
    env: { ...process.env, CRADLE_HOME: home, CRADLE_REPO: "", CRADLE_PASSWORD: "", ...env },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const json = <T>(r: { stdout: string }) => JSON.parse(r.stdout) as T;

describe("cradle backup, snapshots, ls, diff, restore, verify, forget", () => {
  it("backs up twice, lists, diffs, restores byte for byte, verifies and forgets", async () => {
    const home = await tempDir("cli-backup");
    const phone = join(home, "phone");
    makePhone(phone);
    const first = cradle(["backup", `ios:${phone}`, "--json"], home);
    expect(first.code, first.stderr).toBe(0);
    expect(json<{ type: string }>(first).type).toBe("summary");
    writeIn(phone, "Library/Notes/new.txt", "a new note");
    expect(cradle(["backup", `ios:${phone}`], home).stdout).toMatch(/new data .* stored, .* deduplicated/);

    const list = json<{ id: string; time: string; udid: string; files: number }[]>(
      cradle(["snapshots", "--json"], home),
    );
    expect(list).toHaveLength(2);
    expect((list[0]?.time as string) < (list[1]?.time as string)).toBe(true);
    expect(list[1]?.files).toBe((list[0]?.files as number) + 1);
    expect(json<unknown[]>(cradle(["snapshots", "--json", "--device", "nope"], home))).toEqual([]);

    const diff = json<{ added: { relativePath: string }[] }>(
      cradle(["diff", list[0]?.id.slice(0, 6) as string, "latest", "--json"], home),
    );
    expect(diff.added.map((e) => e.relativePath)).toEqual(["Library/Notes", "Library/Notes/new.txt"]);
    const ls = json<{ relativePath: string }[]>(cradle(["ls", "latest", "Library/Notes", "--json"], home));
    expect(ls.map((e) => e.relativePath)).toEqual(["Library/Notes", "Library/Notes/new.txt"]);

    const out = join(home, "restored");
    expect(cradle(["restore", "latest", `ios:${out}`], home).code).toBe(0);
    expect(describeTree(out)).toEqual(describeTree(phone, EXCLUDED_IN_PHONE));
    expect(cradle(["verify", "--read-data"], home).stdout).toContain("no problems found");

    const forget = cradle(["forget", "--keep-last", "1", "--prune", "--json"], home);
    expect(json<{ remove: { id: string }[] }>(forget).remove.map((s) => s.id)).toEqual([list[0]?.id]);
    expect(cradle(["verify", "--read-data"], home).code).toBe(0);
  });

  it("exits 2 on bad usage and 1 with a clear error on a wrong password or an unknown snapshot", async () => {
    const home = await tempDir("cli-backup-errors");
    const phone = join(home, "phone");
    makePhone(phone);
    expect(cradle(["backup"], home).code).toBe(2);
    const elsewhere = await tempDir("cli-backup-no-device");
    const noDevice = cradle(["backup", "device:0000"], elsewhere, {
      USBMUXD_SOCKET_ADDRESS: `UNIX:${join(elsewhere, "no-usbmuxd.sock")}`,
    });
    expect(noDevice.code).toBe(1);
    expect(noDevice.stderr).toMatch(/usbmuxd/);
    expect(cradle(["forget"], home).code).toBe(2);
    const pw = join(home, "pw");
    writeFileSync(pw, "secret\n");
    expect(cradle(["backup", `ios:${phone}`, "--password-file", pw], home).stdout).not.toContain(
      "not encrypted",
    );
    const wrong = cradle(["snapshots", "--json"], home, { CRADLE_PASSWORD: "guess" });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stderr).code).toBe("WrongPasswordError");
    expect(wrong.stderr).not.toContain("guess");
    expect(cradle(["ls", "ffffff", "--password-file", pw], home).stderr).toContain("No snapshot ffffff");
  });
});
