/**
 * ZDATACLASS.ZNAME in Accounts3.sqlite is not text but an NSKeyedArchiver binary plist wrapping the
 * name. The plist package's buildBinary lays this dictionary out byte for byte as the iLEAPP
 * fixtures' rows are (tested against every ZDATACLASS row of the josh fixture).
 */
import { buildBinary } from "plist";

export function archiveString(text: string): Buffer {
  return Buffer.from(
    buildBinary({
      $version: 100000,
      $archiver: "NSKeyedArchiver",
      $top: { root: { UID: 1 } },
      $objects: ["$null", text],
    }),
  );
}
