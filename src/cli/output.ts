/**
 * Everything the CLI prints goes through here: data on stdout, progress and errors on stderr.
 * With --json, stdout carries exactly one JSON document per command; bytes are encoded as
 * {"$hex": "..."} and dates as ISO 8601 strings.
 */
export interface Output {
  json: boolean;
  data(value: unknown, text: () => string): void;
  /** `detail`, when given, replaces "loaded/total" after the bar (files, bytes, speed, ETA). */
  progress(p: { phase: string; loaded: number; total: number; detail?: string }): void;
  done(): void;
}

export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { $hex: Buffer.from(value).toString("hex") };
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return Object.fromEntries(value);
  return value;
}

export function createOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  const bar = stderr.isTTY && !json;
  let drawn = false;
  return {
    json,
    data(value, text) {
      if (drawn) stderr.write("\r\x1b[K");
      drawn = false;
      stdout.write(json ? `${JSON.stringify(value, jsonReplacer, 2)}\n` : `${text()}\n`);
    },
    progress({ phase, loaded, total, detail }) {
      if (!bar || total === 0) return;
      const width = 30;
      const filled = Math.round((loaded / total) * width);
      stderr.write(
        `\r\x1b[K${phase} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${detail ?? `${loaded}/${total}`}`,
      );
      drawn = true;
    },
    done() {
      if (drawn) stderr.write("\r\x1b[K");
      drawn = false;
    },
  };
}
