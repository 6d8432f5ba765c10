import { resolve as resolvePath } from "node:path";
import type { AlbumsEndpoint } from "../core/albums.js";
import type { Domain, Endpoint } from "../core/endpoint.js";
import { UsageError } from "../core/errors.js";

type Factory = (location: string) => Promise<Endpoint>;

/**
 * Scheme → endpoint, per domain. Each module is imported only when its scheme is used, so a
 * contacts sync never loads the calendar or photo code.
 */
const ENDPOINTS: Record<Domain, Record<string, Factory>> = {
  contacts: {
    vdir: async (dir) => new (await import("./contacts/endpoints/vdir.js")).ContactsVdirEndpoint(dir),
    file: async (path) => new (await import("./contacts/endpoints/file.js")).ContactsFileEndpoint(path),
    ios: async (dir) => new (await import("./contacts/endpoints/ios.js")).ContactsIosEndpoint(dir),
    backup: async (dir) => new (await import("./contacts/endpoints/backup.js")).ContactsBackupEndpoint(dir),
  },
  calendars: {
    vdir: async (dir) => new (await import("./calendars/endpoints/vdir.js")).CalendarsVdirEndpoint(dir),
    file: async (path) => new (await import("./calendars/endpoints/file.js")).CalendarsFileEndpoint(path),
    ios: async (dir) => new (await import("./calendars/endpoints/ios.js")).CalendarsIosEndpoint(dir),
    backup: async (dir) => new (await import("./calendars/endpoints/backup.js")).CalendarsBackupEndpoint(dir),
  },
  photos: {},
};

/** Photo-album stores: the photos domain syncs whole album trees, not records (src/core/albums.ts). */
const ALBUM_ENDPOINTS: Record<string, (location: string) => Promise<AlbumsEndpoint>> = {
  ios: async (dir) => new (await import("./photos/endpoints/ios.js")).PhotosIosEndpoint(dir),
  photos: async (lib) => new (await import("./photos/endpoints/library.js")).PhotosLibraryEndpoint(lib),
  albums: async (dir) => new (await import("./photos/endpoints/albums.js")).PhotosAlbumsDirEndpoint(dir),
};

export const DOMAINS = Object.keys(ENDPOINTS) as Domain[];

export function isDomain(name: string): name is Domain {
  return (DOMAINS as string[]).includes(name);
}

/** Opens `scheme:location` for a domain; relative paths are made absolute so URIs stay stable. */
export async function openEndpoint(domain: Domain, spec: string): Promise<Endpoint> {
  const colon = spec.indexOf(":");
  const scheme = colon > 0 ? spec.slice(0, colon) : "";
  const location = spec.slice(colon + 1);
  const factory = ENDPOINTS[domain][scheme];
  if (!factory || !location) {
    const known = Object.keys(ENDPOINTS[domain]).map((s) => `${s}:`);
    throw new UsageError(
      `"${spec}" is not a ${domain} endpoint. Use one of: ${known.join(", ") || "(none yet)"} followed by a path.`,
      { spec, domain },
    );
  }
  return factory(resolvePath(location));
}

/** Opens `scheme:location` for photo albums (ios:, photos:, albums:). */
export async function openAlbumsEndpoint(spec: string): Promise<AlbumsEndpoint> {
  const colon = spec.indexOf(":");
  const factory = colon > 0 ? ALBUM_ENDPOINTS[spec.slice(0, colon)] : undefined;
  const location = spec.slice(colon + 1);
  if (!factory || !location) {
    const known = Object.keys(ALBUM_ENDPOINTS).map((s) => `${s}:`);
    throw new UsageError(
      `"${spec}" is not a photos endpoint. Use one of: ${known.join(", ")} followed by a path.`,
      {
        spec,
        domain: "photos",
      },
    );
  }
  return factory(resolvePath(location));
}
