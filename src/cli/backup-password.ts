/**
 * The password of an encrypted iOS backup: $CRADLE_BACKUP_PASSWORD, else --password-file FILE
 * (its first line), else a prompt on the terminal that does not echo. Never printed or logged.
 */
import { readFileSync } from "node:fs";
import { UsageError } from "../core/errors.js";

export function backupPassword(passwordFile: string | undefined): () => Promise<string> {
  return async () => {
    const fromEnv = process.env.CRADLE_BACKUP_PASSWORD;
    if (fromEnv) return fromEnv;
    if (passwordFile) return (readFileSync(passwordFile, "utf8").split(/\r?\n/)[0] ?? "").trimEnd();
    if (process.stdin.isTTY) return prompt("Backup password: ");
    throw new UsageError(
      "The backup is encrypted. Give its password in CRADLE_BACKUP_PASSWORD or with --password-file FILE.",
    );
  };
}

/** Reads a line from the terminal without echo (the caller checks that stdin is one). */
export function prompt(question: string): Promise<string> {
  return new Promise((resolvePassword, reject) => {
    const stdin = process.stdin;
    let typed = "";
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") return finish(() => resolvePassword(typed));
        if (char === "\u0003") return finish(() => reject(new UsageError("No password given.")));
        typed = char === "\u007f" ? typed.slice(0, -1) : typed + char;
      }
    };
    const finish = (then: () => void) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      then();
    };
    stdin.on("data", onData);
  });
}
