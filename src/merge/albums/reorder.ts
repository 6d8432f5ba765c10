/**
 * Turns a list's new order into as few key changes as possible: the members whose keys are
 * already in increasing order along the new list (a longest increasing subsequence) keep them;
 * every other member (moved or new) gets a key between its new neighbours.
 */
import { keysBetween } from "./fractional.js";

export function rekey(sequence: string[], keyOf: (item: string) => string | undefined): Map<string, string> {
  const stable = longestIncreasing(sequence, keyOf);
  const out = new Map<string, string>();
  let previous: string | undefined;
  let run: string[] = [];
  const flush = (next: string | undefined) => {
    const keys = keysBetween(previous, next, run.length);
    for (const [i, item] of run.entries()) out.set(item, keys[i] as string);
    run = [];
  };
  for (const item of sequence) {
    if (stable.has(item)) {
      const key = keyOf(item) as string;
      flush(key);
      previous = key;
    } else run.push(item);
  }
  flush(undefined);
  return out;
}

/** The items of a longest run, in sequence order, whose keys strictly increase (patience sorting). */
function longestIncreasing(sequence: string[], keyOf: (item: string) => string | undefined): Set<string> {
  const tails: number[] = [];
  const before = new Array<number>(sequence.length).fill(-1);
  const keys = sequence.map(keyOf);
  for (let i = 0; i < sequence.length; i++) {
    const key = keys[i];
    if (key === undefined) continue;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((keys[tails[mid] as number] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) before[i] = tails[lo - 1] as number;
    tails[lo] = i;
  }
  const out = new Set<string>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = before[i] as number) out.add(sequence[i] as string);
  return out;
}
