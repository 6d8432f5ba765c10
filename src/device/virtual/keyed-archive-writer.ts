/**
 * ZDATACLASS.ZNAME in Accounts3.sqlite is not text but an NSKeyedArchiver binary plist wrapping the
 * name. Cradle's binary plist codec lays this dictionary out byte for byte as the iLEAPP
 * fixtures' rows are (tested against every ZDATACLASS row of the josh fixture).
 */
import { buildBinaryPlist, PlistUid } from "../plist/index.js";

export function archiveString(text: string): Buffer {
  return buildBinaryPlist({
    $version: 100000,
    $archiver: "NSKeyedArchiver",
    $top: { root: new PlistUid(1) },
    $objects: ["$null", text],
  });
}
