/**
 * `npm run bench -- --only backup-chunking`: the measurements behind the chunk policy in
 * docs/backup.md. For a seeded sms.db and the benchmark's 1% change (300 scattered updates, 200
 * inserts), how many bytes each way of cutting the database re-stores; and what deflate gains
 * and costs on media, SQLite pages and plists.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { generatePhoneTree, mutatePhoneTree } from "./backup-tree.js";

const KiB = 1024;

function fixed(data: Buffer, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += size) out.push(data.subarray(at, at + size));
  return out;
}

const key = (c: Uint8Array) => Buffer.from(c).toString("base64");

interface ChunkerParams {
  minSize: number;
  avgSize: number;
  maxSize: number;
}

/** The built chunker (bench/ compiles apart from src/, so it loads what npm run build made). */
type Chunker = { chunkBuffer(data: Uint8Array, params: ChunkerParams): Uint8Array[] };

export async function runChunkingBench(root: string, mib: number): Promise<number> {
  const { chunkBuffer } = (await import(join(root, "dist/backup/chunker.js"))) as Chunker;
  const dir = mkdtempSync(join(tmpdir(), "cradle-chunking-"));
  const tree = join(dir, "tree");
  generatePhoneTree(join(root, "dist/cli/main.js"), tree, mib * 1024 * 1024, 20261204);
  const sms = join(tree, "Library/SMS/sms.db");
  const before = readFileSync(sms);
  mutatePhoneTree(tree, 20261205);
  const after = readFileSync(sms);
  const ways: [string, (d: Buffer) => Uint8Array[]][] = [
    ["1 page (4 KiB) fixed", (d) => fixed(d, 4 * KiB)],
    ["2 pages (8 KiB) fixed", (d) => fixed(d, 8 * KiB)],
    ["4 pages (16 KiB) fixed", (d) => fixed(d, 16 * KiB)],
    ["16 pages (64 KiB) fixed", (d) => fixed(d, 64 * KiB)],
    ["FastCDC 16/64/256 KiB", (d) => chunkBuffer(d, cdc(16, 64, 256))],
    ["FastCDC 256 KiB/1 MiB/4 MiB (general)", (d) => chunkBuffer(d, cdc(256, 1024, 4096))],
    ["FastCDC 512 KiB/1 MiB/8 MiB (restic-like)", (d) => chunkBuffer(d, cdc(512, 1024, 8192))],
  ];
  const lines = [
    `sms.db ${(before.length / 1e6).toFixed(1)} MB before, ${(after.length / 1e6).toFixed(1)} MB after the change`,
    "",
    "| cutting | chunks | re-stored after the change |",
    "|---|---:|---:|",
  ];
  for (const [name, cut] of ways) {
    const old = new Set(cut(before).map(key));
    const fresh = cut(after).filter((c) => !old.has(key(c)));
    lines.push(
      `| ${name} | ${cut(after).length} | ${(fresh.reduce((s, c) => s + c.length, 0) / 1e6).toFixed(2)} MB |`,
    );
  }
  lines.push("", "| content | deflate level 1 ratio | MB/s |", "|---|---:|---:|");
  const samples: [string, Buffer][] = [
    ["photo (JPEG-like)", readFileSync(join(tree, "Media/DCIM/100APPLE/IMG_0000.JPG"))],
    ["sms.db pages", after.subarray(0, 4 * 1024 * 1024)],
    ["plist", readFileSync(join(tree, "Library/Preferences/com.example.app1/prefs1.plist"))],
  ];
  for (const [name, data] of samples) {
    const started = performance.now();
    const out = deflateRawSync(data, { level: 1 });
    const seconds = (performance.now() - started) / 1000;
    lines.push(
      `| ${name} | ${(out.length / data.length).toFixed(2)} | ${(data.length / 1e6 / seconds).toFixed(0)} |`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  rmSync(dir, { recursive: true, force: true });
  return 0;
}

const cdc = (min: number, avg: number, max: number): ChunkerParams => ({
  minSize: min * KiB,
  avgSize: avg * KiB,
  maxSize: max * KiB,
});
