import { join } from "node:path";
import type { GuardVerdict } from "../../../core/endpoint.js";
import { PhotosSqliteEndpoint } from "../photos-sqlite/endpoint.js";

/**
 * `photos:LIBRARY` for a macOS .photoslibrary: LIBRARY/database/Photos.sqlite, originals under
 * LIBRARY/originals. Quit Photos before syncing: it keeps the database open and caches albums.
 */
export class PhotosLibraryEndpoint extends PhotosSqliteEndpoint {
  readonly uri: string;

  constructor(library: string) {
    super(join(library, "database", "Photos.sqlite"), join(library, "originals"));
    this.uri = `photos:${library}`;
  }

  async guard(): Promise<GuardVerdict> {
    return { enabled: true };
  }
}
