/**
 * What every backup command shares: --repo (else CRADLE_REPO, else the data home), the password
 * (CRADLE_PASSWORD, --password-file, or a prompt on a terminal; never echoed, never logged),
 * and a progress line with files, bytes, speed and ETA.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Repository } from "../backup/repository/repository.js";
import { defaultRepo } from "../state/paths.js";
import { prompt } from "./backup-password.js";
import type { Output } from "./output.js";

export const REPO_OPTIONS = {
  repo: { type: "string" },
  "password-file": { type: "string" },
  json: { type: "boolean" },
} as const;

export const REPO_HELP = `  --repo DIR            the repository (default: $CRADLE_REPO, else $CRADLE_HOME/repo, else
                        $XDG_DATA_HOME/cradle/repo, i.e. ~/.local/share/cradle/repo)
  --password-file FILE  the password of an encrypted repository (else $CRADLE_PASSWORD, else a prompt)
  --json                one JSON document on stdout`;

export interface RepoValues {
  repo?: string;
  "password-file"?: string;
}

export const repoRoot = (values: RepoValues) =>
  resolve(values.repo ?? (process.env.CRADLE_REPO || defaultRepo()));

/** The password if one was given without asking; the prompt comes only when it is needed. */
export function givenPassword(values: RepoValues): string | undefined {
  if (values["password-file"] !== undefined) {
    const text = readFileSync(values["password-file"], "utf8");
    return text.replace(/\r?\n$/, "");
  }
  return process.env.CRADLE_PASSWORD || undefined;
}

export async function openRepo(values: RepoValues): Promise<Repository> {
  const root = repoRoot(values);
  const given = givenPassword(values);
  const needsPrompt = given === undefined && (await Repository.exists(root)) && (await isEncrypted(root));
  return Repository.open({
    root,
    password: needsPrompt ? await promptPassword(`Password for ${root}: `) : given,
  });
}

async function isEncrypted(root: string): Promise<boolean> {
  try {
    return "encryption" in JSON.parse(readFileSync(`${root}/config`, "utf8"));
  } catch {
    return false;
  }
}

/** Asks on the terminal without echo; off a terminal there is no one to ask. */
export async function promptPassword(question: string): Promise<string | undefined> {
  return process.stdin.isTTY ? prompt(question) : undefined;
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];
export function formatBytes(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

/** A progress callback that draws files, bytes, speed and ETA through the CLI's bar. */
export function transferProgress(out: Output, phase: string) {
  const started = performance.now();
  let lastDraw = 0;
  return (p: { files: number; filesTotal: number; bytes: number; bytesTotal: number }) => {
    const now = performance.now();
    if (now - lastDraw < 100 && p.files < p.filesTotal) return;
    lastDraw = now;
    const speed = p.bytes / Math.max((now - started) / 1000, 0.001);
    const eta = speed > 0 ? Math.max(0, (p.bytesTotal - p.bytes) / speed) : 0;
    const detail = `${p.files}/${p.filesTotal} files, ${formatBytes(p.bytes)}/${formatBytes(p.bytesTotal)}, ${formatBytes(speed)}/s, ETA ${formatDuration(eta)}`;
    out.progress({ phase, loaded: p.bytes, total: Math.max(p.bytesTotal, 1), detail });
  };
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
