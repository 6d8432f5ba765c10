import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Measured, measure } from "./peers.js";

/**
 * `npm run bench:device`: Cradle's mobilebackup2 client and idevicebackup2 (libimobiledevice
 * 1.3.0) each take full backups of the same virtual iPhone served by `cradle device serve`, over
 * its usbmuxd socket. `--photos N` (default 200) files of `--kib K` (default 256) are added to the
 * camera roll. Wall time, CPU time and peak RSS of the client process; the server is the same for both.
 */

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist", "cli", "main.js");
const log = (msg: string) => process.stderr.write(`${msg}\n`);

function cradle(args: string[]): void {
  const run = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`cradle ${args.join(" ")} failed: ${run.stderr}`);
}

async function serve(phone: string, socket: string): Promise<ChildProcess> {
  const server = spawn(process.execPath, [
    MAIN,
    "device",
    "serve",
    phone,
    "--socket",
    `UNIX:${socket}`,
    "--json",
  ]);
  for await (const line of createInterface({ input: server.stdout as NodeJS.ReadableStream }))
    if (line === "}") break;
  return server;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      photos: { type: "string", default: "200" },
      kib: { type: "string", default: "256" },
      runs: { type: "string", default: "3" },
    },
  });
  const photos = Number(values.photos);
  const kib = Number(values.kib);
  const runs = Number(values.runs);
  const tmp = mkdtempSync(join(tmpdir(), "cradle-bench-backup-"));
  process.env.CRADLE_HOME = tmp;
  const phone = join(tmp, "phone");
  cradle(["device", "create", phone, "--sample", "500"]);
  const roll = join(phone, "Media", "DCIM", "100APPLE");
  mkdirSync(roll, { recursive: true });
  let seed = 1;
  for (let i = 0; i < photos; i++) {
    const bytes = Buffer.alloc(kib * 1024);
    // A linear congruential fill: incompressible enough, the same on every run.
    for (let j = 0; j < bytes.length; j += 4) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      bytes.writeUInt32LE(seed, j);
    }
    writeFileSync(join(roll, `IMG_${String(i).padStart(4, "0")}.JPG`), bytes);
  }
  const socket = join(tmp, "usbmuxd.sock");
  const server = await serve(phone, socket);
  process.env.USBMUXD_SOCKET_ADDRESS = `UNIX:${socket}`;
  try {
    cradle(["pair"]);
    const results: Record<string, Measured[]> = { cradle: [], idevicebackup2: [] };
    for (let run = 0; run < runs; run++) {
      for (const tool of ["cradle", "idevicebackup2"] as const) {
        const out = join(tmp, `${tool}-${run}`);
        mkdirSync(out);
        log(`${tool}, run ${run + 1} of ${runs}`);
        const measured =
          tool === "cradle"
            ? await measure(process.execPath, [MAIN, "device", "backup", out, "--full"], tmp)
            : await measure("idevicebackup2", ["backup", "--full", out], tmp);
        if (tool === "idevicebackup2" && !measured.stdout.includes("Backup Successful"))
          throw new Error(`idevicebackup2 did not finish:\n${measured.stdout.slice(-2000)}`);
        results[tool]?.push(measured);
        rmSync(out, { recursive: true, force: true });
      }
    }
    const totalMb = (photos * kib) / 1024;
    console.log(
      `Full backup of a virtual iPhone (500 contacts, ${photos} photos of ${kib} KiB = ${totalMb.toFixed(0)} MB), median of ${runs}`,
    );
    console.log("| client | wall s | CPU s | MB/s | peak RSS MB |");
    console.log("|---|---|---|---|---|");
    for (const [tool, measured] of Object.entries(results)) {
      const seconds = median(measured.map((m) => m.seconds));
      const medianOf = (pick: (m: Measured) => number | undefined) =>
        measured.every((m) => pick(m) !== undefined)
          ? median(measured.map((m) => pick(m) as number))
          : undefined;
      const rss = medianOf((m) => m.rssMb);
      const cpu = medianOf((m) => m.cpuSeconds);
      console.log(
        `| ${tool} | ${seconds.toFixed(2)} | ${cpu?.toFixed(2) ?? "?"} | ${(totalMb / seconds).toFixed(1)} | ${rss?.toFixed(0) ?? "?"} |`,
      );
    }
  } finally {
    server.kill("SIGTERM");
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
