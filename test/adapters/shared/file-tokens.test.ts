import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { _inWorker, fileTokens } from "../../../src/adapters/shared/file-tokens.js";

const dir = mkdtempSync(join(tmpdir(), "cradle-tokens-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a token must be: one statSync of the file, as the state has always stored it. */
function expected(names: string[]) {
  const files = names.filter((n) => statSync(join(dir, n), { throwIfNoEntry: false })?.isFile());
  return files.map((n) => {
    const s = statSync(join(dir, n));
    return { name: n, token: `${s.mtimeMs}-${s.size}-${s.ino}`, mtime: s.mtimeMs };
  });
}

function asRows([names, tokens, mtimes]: [string[], string[], number[]]) {
  return names.map((name, i) => ({ name, token: tokens[i], mtime: mtimes[i] }));
}

describe("fileTokens", () => {
  it("gives every regular file's token in order, skipping directories and vanished names", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `c${i}.vcf`);
    for (const [i, n] of names.entries()) writeFileSync(join(dir, n), "x".repeat(i));
    mkdirSync(join(dir, "sub.vcf"));
    const asked = [...names, "sub.vcf", "gone.vcf"];
    expect(asRows(await fileTokens(dir, asked))).toEqual(expected(asked));
  });

  it("splits a large listing with a worker thread and gives the same tokens in the same order", async () => {
    const names = Array.from({ length: 2600 }, (_, i) => `big${String(i).padStart(5, "0")}.ics`);
    for (const [i, n] of names.entries()) writeFileSync(join(dir, n), String(i));
    // A directory and a missing name in each half.
    const asked = [...names.slice(0, 1300), "sub.vcf", "gone-1.ics", ...names.slice(1300), "gone-2.ics"];
    const rows = asRows(await fileTokens(dir, asked));
    expect(rows).toHaveLength(2600);
    expect(rows).toEqual(expected(asked));
    // The worker itself works (fileTokens would hide a broken one behind its fallback).
    const tail = asked.slice(1300);
    expect(asRows(await _inWorker(dir, tail))).toEqual(expected(tail));
  });
});
