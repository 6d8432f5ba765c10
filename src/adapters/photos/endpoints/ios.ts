import { existsSync } from "node:fs";
import { join } from "node:path";
import type { GuardVerdict } from "../../../core/endpoint.js";
import { cloudGuard } from "../../../guard/guard.js";
import { PhotosSqliteEndpoint } from "../photos-sqlite/endpoint.js";

/**
 * `ios:DIR` for photos: DIR/Media/PhotoData/Photos.sqlite of an iOS home tree, with the photos
 * under DIR/Media (ZDIRECTORY is "DCIM/100APPLE"). When iCloud Photos is on, cable sync of
 * albums is refused, as Finder does.
 */
export class PhotosIosEndpoint extends PhotosSqliteEndpoint {
  readonly uri: string;
  private readonly accounts: string;

  constructor(private readonly dir: string) {
    super(join(dir, "Media", "PhotoData", "Photos.sqlite"), join(dir, "Media"));
    this.uri = `ios:${dir}`;
    this.accounts = join(dir, "Library", "Accounts", "Accounts3.sqlite");
  }

  async guard(): Promise<GuardVerdict> {
    if (!existsSync(this.accounts)) return { enabled: true };
    return cloudGuard(this.accounts, "photos", `the device at ${this.dir}`);
  }
}
