/**
 * Fractional position keys: strings over base-62 digits that sort like the numbers 0.d1d2d3...
 * between 0 and 1, so a member can always be put between two others by giving it a key between
 * theirs, and a move is one key rewritten (Kleppmann's list move as a last-writer-wins register).
 * No key ends with the zero digit, so there is always room below a key as well as above.
 */
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE = DIGITS.length;

/** A key strictly between a and b; a = undefined means the start, b = undefined the end. */
export function keyBetween(a: string | undefined, b: string | undefined): string {
  const lo = a ?? "";
  if (b !== undefined && !(lo < b)) throw new Error(`keyBetween: "${lo}" is not below "${b}"`);
  return midpoint(lo, b);
}

function midpoint(a: string, b: string | undefined): string {
  if (b !== undefined) {
    // Keep the common prefix; a missing digit of a counts as zero.
    let n = 0;
    while (n < b.length && (a[n] ?? "0") === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const da = a === "" ? 0 : DIGITS.indexOf(a[0] as string);
  const db = b === undefined ? BASE : DIGITS.indexOf(b[0] as string);
  if (db - da > 1) return DIGITS[Math.floor((da + db) / 2)] as string;
  // Adjacent digits: b's first digit alone is too big unless b has more digits after it.
  if (b !== undefined && b.length > 1) return b[0] as string;
  return (DIGITS[da] as string) + midpoint(a.slice(1), undefined);
}

/** n keys in order strictly between a and b, spread so that they stay short. */
export function keysBetween(a: string | undefined, b: string | undefined, n: number): string[] {
  if (n <= 0) return [];
  const mid = keyBetween(a, b);
  const left = Math.floor((n - 1) / 2);
  return [...keysBetween(a, mid, left), mid, ...keysBetween(mid, b, n - 1 - left)];
}
