/**
 * A seeded pseudo-random source, so that one seed always builds the same virtual iPhone.
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter), keyed by SHA-256 of the seed and a purpose:
 * each part of the device (identity, contacts, accounts) draws from its own stream, so adding a
 * contact to the sample never changes the UDID.
 */
import { createHash } from "node:crypto";

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Lower-case hex digits. */
  hex(length: number): string;
  /** An upper-case RFC 4122 version 4 UUID, as Apple writes guids. */
  uuid(): string;
}

export function seededRandom(seed: string, purpose: string): Random {
  const key = createHash("sha256").update(`${purpose}\0${seed}`).digest();
  let a = key.readUInt32BE(0);
  let b = key.readUInt32BE(4);
  let c = key.readUInt32BE(8);
  let d = key.readUInt32BE(12);
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The first outputs of sfc32 still echo the key; the reference implementation discards them too.
  for (let i = 0; i < 12; i++) nextUint32();

  const next = () => nextUint32() / 2 ** 32;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (length: number) =>
    Array.from({ length }, () => "0123456789abcdef".charAt(int(0, 15))).join("");
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(0, items.length - 1)] as T;
    },
    hex,
    uuid() {
      const h = hex(32);
      const variant = "89ab".charAt(int(0, 3));
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`.toUpperCase();
    },
  };
}
