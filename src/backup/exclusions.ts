/**
 * What Apple leaves out of a device backup, and so does Cradle (backup-anchors.md §5.3,
 * data-formats.md §1): caches and temporary files, which apps rebuild, and media the computer
 * synced to the device (iTunes_Control: music, videos, books), which the computer already holds.
 * Paths are home-relative (the ios:DIR layout).
 */
const EXCLUDED = [
  "Library/Caches",
  "tmp",
  "Media/iTunes_Control",
  "Media/Books/Sync",
  "Media/PhotoData/Caches",
  "Media/PhotoData/Thumbnails",
];

export function isExcluded(homeRelative: string): boolean {
  return EXCLUDED.some((prefix) => homeRelative === prefix || homeRelative.startsWith(`${prefix}/`));
}
