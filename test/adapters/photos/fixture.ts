/** A writable copy of the osxphotos macOS 26.1 library database, laid out as a .photoslibrary. */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/photos/osxphotos-26.1");

/** Returns the library folder; its database is LIBRARY/database/Photos.sqlite (+ -wal, -shm). */
export function copyPhotosLibrary(): string {
  const library = join(mkdtempSync(join(tmpdir(), "cradle-photoslib-")), "Test.photoslibrary");
  mkdirSync(join(library, "database"), { recursive: true });
  mkdirSync(join(library, "originals"));
  for (const name of readdirSync(FIXTURE)) copyFileSync(join(FIXTURE, name), join(library, "database", name));
  return library;
}
