/**
 * Opens a Photos.sqlite. Reads go through a private copy of the database and its WAL (the rows
 * Photos has not checkpointed yet live there), so a sync that changes nothing leaves the store
 * byte for byte as it was: even a read-only SQLite open would create a -shm beside it. Writes
 * open the store in place, in WAL mode, inside one transaction.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { inspectPhotosDb, PhotosDbError, type PhotosSchema } from "./schema.js";

export function withPhotosDb<T>(
  path: string,
  mode: "read" | "write",
  use: (db: Database.Database, schema: PhotosSchema) => T,
): T {
  if (!existsSync(path))
    throw new PhotosDbError(`${path} does not exist. Name the folder that holds the Photos library.`, {
      path,
    });
  const scratch = mode === "read" ? mkdtempSync(join(tmpdir(), "cradle-photos-")) : undefined;
  let db: Database.Database | undefined;
  try {
    let file = path;
    if (scratch) {
      file = join(scratch, "Photos.sqlite");
      for (const suffix of ["", "-wal"])
        if (existsSync(path + suffix)) copyFileSync(path + suffix, file + suffix);
    }
    try {
      db = new Database(file, { readonly: mode === "read", fileMustExist: true });
      if (mode === "write") db.pragma("journal_mode = WAL");
    } catch (error) {
      throw new PhotosDbError(`${path} cannot be opened: ${(error as Error).message}.`, { path });
    }
    const schema = inspectPhotosDb(db, path);
    const opened = db;
    return mode === "write" ? opened.transaction(() => use(opened, schema))() : use(opened, schema);
  } finally {
    db?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
