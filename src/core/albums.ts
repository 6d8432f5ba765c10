import type { GuardVerdict } from "./endpoint.js";

/**
 * The contract between photo-album stores and the album sync (src/merge/albums). Albums are not
 * records with Fields: a store hands over its whole album tree at once, in its own ids, and takes
 * back a target tree. The photos themselves never enter the CRDT; they are matched by fingerprint.
 */

/** One photo or video as a store holds it. */
export interface PhotoAsset {
  /** The store's own id (a Z_PK, a relative path). */
  id: string;
  /** Changes when the file may have changed (mtime+size, a modification date): re-hash then. */
  token: string;
  /** Where its bytes can be read, if anywhere. */
  path?: string;
  /** The original file name ("IMG_0001.JPG"). */
  name: string;
  /** Creation date, ms since the epoch, when the store knows it. */
  created?: number;
  size?: number;
  width?: number;
  height?: number;
}

/** A folder or an album in a store's own ids. Siblings are listed in the store's order. */
export interface AlbumNode {
  id: string;
  kind: "folder" | "album";
  title: string;
  /** The parent folder's id; null at the top level. */
  parent: string | null;
  /** Album members in album order (asset ids). */
  members: string[];
  /** The album's key photo (an asset id), when one was chosen. */
  keyAsset?: string;
}

export interface PhotoLibrary {
  assets: PhotoAsset[];
  /** Every folder and album, parents before children, siblings in order. */
  nodes: AlbumNode[];
}

/** A member as the sync wants it on a side: an asset it has, or one to copy in. */
export interface TargetMember {
  fingerprint: string;
  /** The side's own asset id, when it already holds the asset. */
  assetId?: string;
  /** A readable copy on another side, for the import step. */
  source?: string;
  /** A file name for an imported copy. */
  name: string;
}

/** A folder or album as it must end up on a side, in the sync's ids (`ref`). */
export interface TargetNode {
  ref: string;
  /** The side's own id; undefined means create it. */
  id?: string;
  kind: "folder" | "album";
  title: string;
  parentRef: string | null;
  members: TargetMember[];
  keyFingerprint?: string;
}

/** What to change on one side: nodes to create or rewrite (parents first), nodes to delete. */
export interface AlbumWrite {
  put: TargetNode[];
  /** The side's ids of folders and albums to delete (children before parents). */
  delete: string[];
  /** ref → the side's id of every node the side already holds. */
  ids: Map<string, string>;
  /** Parents (ref, "" for the top) whose children must be put in this order (refs). */
  order: Map<string, string[]>;
}

export interface AlbumWriteResult {
  /** ref → the side's id of every node it created. */
  created: Map<string, string>;
  /** Members that could not be written (no readable copy anywhere), and why; they stay in the album. */
  failed: { where: string; reason: string }[];
}

/** A store of photo albums: an iOS or macOS Photos library, a folder tree. */
export interface AlbumsEndpoint {
  readonly uri: string;
  readonly domain: "photos";
  readonly readOnly: boolean;
  /** False when the store has no order for folders and albums among their siblings (a folder tree). */
  readonly ordersNodes: boolean;
  guard(): Promise<GuardVerdict>;
  /**
   * A cheap token that changes whenever the albums may have changed (file and directory times),
   * so an unchanged store is not read at all. Stores without one are read on every run.
   */
  changeToken?(): Promise<string>;
  read(): Promise<PhotoLibrary>;
  write(change: AlbumWrite): Promise<AlbumWriteResult>;
  /** Stores that can keep the sync's ids (ref) beside their own are told them after a sync. */
  adopt?(ids: Map<string, string>): Promise<void>;
}
