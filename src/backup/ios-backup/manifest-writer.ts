/**
 * Writes a Manifest.db with the schema real backups have (data-formats.md §1.5, observed in an
 * iOS 14.3 backup): Files(fileID, domain, relativePath, flags, file) with its three indexes, and
 * an empty Properties table. Rows go in one transaction, committed by finish().
 */
import Database from "better-sqlite3";
import { backupFileId } from "../../adapters/backup-folder/manifest.js";
import { encodeMBFile, FILE_FLAGS, type MBFile } from "./mbfile.js";

const SCHEMA = `
  CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
  CREATE INDEX FilesDomainIdx ON Files(domain);
  CREATE INDEX FilesRelativePathIdx ON Files(relativePath);
  CREATE INDEX FilesFlagsIdx ON Files(flags);
  CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);
`;

export class ManifestWriter {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;

  constructor(path: string) {
    this.db = new Database(path);
    // Real manifests are in WAL mode; closing checkpoints the log into the main file.
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare("INSERT INTO Files VALUES (?, ?, ?, ?, ?)");
    this.db.exec("BEGIN");
  }

  /** Adds one row; throws when the (domain, relativePath) was already added. */
  add(domain: string, file: MBFile): string {
    const fileID = backupFileId(domain, file.relativePath);
    this.insert.run(fileID, domain, file.relativePath, FILE_FLAGS[file.kind], encodeMBFile(file));
    return fileID;
  }

  has(domain: string, relativePath: string): boolean {
    const row = this.db
      .prepare("SELECT 1 FROM Files WHERE fileID = ?")
      .get(backupFileId(domain, relativePath));
    return row !== undefined;
  }

  /** Commits the rows and closes the database (its data is on disk when this returns). */
  finish(): void {
    this.db.exec("COMMIT");
    this.db.close();
  }

  /** Drops everything added; the file is left for the caller to delete. */
  discard(): void {
    if (this.db.open) this.db.close();
  }
}
