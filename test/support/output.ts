import type { Output } from "../../src/cli/output.js";

/** An Output that keeps what a command prints, for command tests. */
export function captured(json: boolean) {
  const printed: { value: unknown; text: string }[] = [];
  const out: Output = {
    json,
    data: (value, text) => printed.push({ value, text: text() }),
    progress: () => {},
    done: () => {},
  };
  return { out, printed };
}
