import type { Fields } from "./fields.js";

/** The domains Cradle syncs. */
export type Domain = "contacts" | "calendars" | "photos";

/**
 * One record as an endpoint hands it to the engine: already turned into Fields by the
 * endpoint's adapter, with what the engine needs to match and describe it.
 */
export interface SyncItem {
  /** The record's UID as the source states it. */
  uid: string;
  fields: Fields;
  /** A human name for messages ("Anna Meyer"). */
  label: string;
  /** Keys for first-sync matching when UIDs differ, e.g. "anna meyer|tel:+4930123". */
  matchKeys: string[];
  /** When the record last changed on this side (ms since the epoch), for last-writer-wins. */
  modified: number;
}

/** A record that could not be read: reported and skipped, never deleted anywhere. */
export interface ReadError {
  /** Where it is: a file path, optionally with a line ("card.vcf:12"). */
  where: string;
  message: string;
}

export type ReadResult = { ok: true; item: SyncItem } | { ok: false; error: ReadError };

/** A listing entry: the native id and a cheap change token (mtime+size, a ROWID+modified...). */
export interface Listed {
  id: string;
  token: string;
}

export interface WriteBatch {
  create: { uid: string; fields: Fields }[];
  update: { id: string; uid: string; fields: Fields }[];
  delete: string[];
}

/** What happened to each write: a create or update reports its (new) id and token. */
export type WriteOutcome =
  | { kind: "create" | "update"; uid: string; ok: true; id: string; token: string }
  | { kind: "delete"; id: string; ok: true }
  | { kind: "create" | "update" | "delete"; uid?: string; id?: string; ok: false; error: string };

/** What a collection (an address book, a calendar) is called and how it is shown. */
export interface CollectionMeta {
  displayName?: string;
  /** As the store writes it, e.g. "#FF2968". */
  color?: string;
}

/** Is cable sync allowed to write this domain here? (The iCloud guard answers for device stores.) */
export interface GuardVerdict {
  enabled: boolean;
  /** Why not, in words a user understands, e.g. "iCloud syncs Contacts on this device". */
  reason?: string;
  /** Who syncs the domain instead, for scripts: "icloud". */
  cause?: "icloud";
}

/**
 * The contract every store implements, in every domain. An endpoint knows one native store
 * and nothing about merging. Unchanged tokens mean the engine never calls read() for them.
 */
export interface Endpoint {
  readonly uri: string;
  readonly domain: Domain;
  readonly readOnly: boolean;
  /**
   * Stores only part of what it is given (an iOS AddressBook has no place for a vCard's X-
   * properties). The engine reads back what it wrote and diffs the side's later edits against
   * that, so what the side cannot hold is never taken for a deletion.
   */
  readonly lossy?: boolean;
  guard(): Promise<GuardVerdict>;
  list(): Promise<Listed[]>;
  read(ids: string[]): Promise<Map<string, ReadResult>>;
  /** Applies deletes, then updates, then creates, and returns one outcome for each, in that order. */
  write(batch: WriteBatch): Promise<WriteOutcome[]>;
  /** The collection's name and colour, where the format has them. */
  readCollection?(): Promise<CollectionMeta>;
  /** Sets the given name and/or colour. */
  writeCollection?(meta: CollectionMeta): Promise<void>;
}
