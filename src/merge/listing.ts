import { createHash } from "node:crypto";
import type { Listed } from "../core/endpoint.js";

/**
 * A side's listing (native id → change token) and its digest. Two listings with the same
 * digest hold the same items with the same tokens: a side whose digest did not move since a
 * run left everything in sync has nothing new to say. The run keeps the listing up to date with
 * its own writes, so the digest it leaves is the one the next run will list.
 */
export class Listing {
  private tokens: Map<string, string> | undefined;

  constructor(readonly items: Listed[]) {}

  digest(): string {
    // Length-prefixed, so no id or token can pass for another; sorted, so listing order is moot.
    const entry = (id: string, token: string) => `${id.length}:${id}${token.length}:${token}`;
    const entries = this.tokens
      ? [...this.tokens].map(([id, token]) => entry(id, token))
      : this.items.map((item) => entry(item.id, item.token));
    entries.sort();
    return createHash("sha256").update(entries.join("")).digest("base64");
  }

  /** The side now holds `id` with this token (written, or rewritten under a new id). */
  wrote(id: string, token: string, replaced?: string): void {
    const tokens = this.map();
    if (replaced !== undefined) tokens.delete(replaced);
    tokens.set(id, token);
  }

  removed(id: string): void {
    this.map().delete(id);
  }

  private map(): Map<string, string> {
    this.tokens ??= new Map(this.items.map((item) => [item.id, item.token]));
    return this.tokens;
  }
}
