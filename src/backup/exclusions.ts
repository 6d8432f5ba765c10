/**
 * What Apple leaves out of a device backup, and so does Cradle (backup-anchors.md §5.3,
 * data-formats.md §1): caches and temporary files, which apps rebuild, and media the computer
 * synced to the device (iTunes_Control: music, videos, books), which the computer already holds.
 * Paths are home-relative (the ios:DIR layout). The one list both the ios:DIR backup source and
 * the virtual iPhone's mobilebackup2 upload apply (both walk the home through IosTreeSource).
 */

/**
 * The device's own lockdown secrets (its private key, pair records, lockdown values). A real
 * device keeps them in /var/root/Library/Lockdown, outside /var/mobile, so no backup holds them;
 * the virtual iPhone keeps them inside its home (DEVICE_PATHS.lockdownValues, device-keys.ts).
 * They are never backed up, and a restore never writes over them.
 */
const DEVICE_SECRETS = ["Library/Lockdown"];

const EXCLUDED = [
  "Library/Caches",
  "tmp",
  "Media/iTunes_Control",
  "Media/Books/Sync",
  "Media/PhotoData/Caches",
  "Media/PhotoData/Thumbnails",
  ...DEVICE_SECRETS,
];

const under = (prefixes: readonly string[], homeRelative: string): boolean =>
  prefixes.some((prefix) => homeRelative === prefix || homeRelative.startsWith(`${prefix}/`));

export function isExcluded(homeRelative: string): boolean {
  return under(EXCLUDED, homeRelative);
}

/** Paths a restore into a home tree leaves alone, whatever the backup holds. */
export function isDeviceSecret(homeRelative: string): boolean {
  return under(DEVICE_SECRETS, homeRelative);
}
