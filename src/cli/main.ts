#!/usr/bin/env node
/**
 * The cradle command. Only this file exits the process; every command returns data or throws,
 * and one place maps errors to exit codes (0 done, 1 error, 2 usage, 3 guard, 4 safety).
 */
import { readFileSync } from "node:fs";
import { CradleError } from "../core/errors.js";
import type { Command } from "./command.js";
import { EXIT_STATUS } from "./command.js";
import { createOutput } from "./output.js";

/** Every command, loaded only when it runs. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  sync: async () => (await import("./commands/sync.js")).syncCommand,
  show: async () => (await import("./commands/show.js")).showCommand,
  conflicts: async () => (await import("./commands/conflicts.js")).conflictsCommand,
  demo: async () => (await import("./commands/demo.js")).demoCommand,
  device: async () => (await import("./commands/device.js")).deviceCommand,
  backup: async () => (await import("./commands/backup.js")).backupCommand,
  snapshots: async () => (await import("./commands/snapshots.js")).snapshotsCommand,
  ls: async () => (await import("./commands/ls.js")).lsCommand,
  diff: async () => (await import("./commands/diff.js")).diffCommand,
  restore: async () => (await import("./commands/restore.js")).restoreCommand,
  verify: async () => (await import("./commands/verify.js")).verifyCommand,
  forget: async () => (await import("./commands/forget.js")).forgetCommand,
  extract: async () => (await import("./commands/extract.js")).extractCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = argv.includes("--json");
  const out = createOutput(json);
  if (!name || name === "help" || name === "--help" || name === "-h") {
    const topic = name === "help" ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) return printHelp(await (COMMANDS[topic] as () => Promise<Command>)());
    process.stdout.write(await overview());
    return name ? 0 : 2;
  }
  if (name === "--version") {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`cradle: unknown command "${name}". Run "cradle --help" for the list.\n`);
    return 2;
  }
  const command = await load();
  if (rest.includes("--help") || rest.includes("-h")) return printHelp(command);
  try {
    return await command.run(rest, out);
  } catch (error) {
    out.done();
    return report(error, json);
  }
}

function report(error: unknown, json: boolean): number {
  const known = error instanceof CradleError;
  const exitCode = known ? error.exitCode : 1;
  const message = error instanceof Error ? error.message : String(error);
  if (json) {
    const code = known ? error.code : "InternalError";
    process.stderr.write(`${JSON.stringify({ type: "error", code, message, exitCode })}\n`);
  } else {
    process.stderr.write(`cradle: ${message}\n`);
    if (!known && error instanceof Error && error.stack) {
      process.stderr.write(
        `This looks like a bug in Cradle. Please report it with this trace:\n${error.stack}\n`,
      );
    }
  }
  return exitCode;
}

function printHelp(command: Command): number {
  process.stdout.write(`Usage: ${command.usage}\n\n${command.summary}\n\n${command.help}\n`);
  return 0;
}

async function overview(): Promise<string> {
  const lines = await Promise.all(
    Object.entries(COMMANDS).map(async ([name, load]) => `  ${name.padEnd(10)} ${(await load()).summary}`),
  );
  return `cradle ${version()}: keep an iPhone or iPad and a computer in step.

Usage: cradle COMMAND [ARGS] [--json]

COMMANDS
${lines.join("\n")}

Run "cradle COMMAND --help" for a command's options.
State lives under $CRADLE_HOME/state if set, else $XDG_STATE_HOME/cradle (~/.local/state/cradle).

${EXIT_STATUS}
`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cradle: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
