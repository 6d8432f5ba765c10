/**
 * Unwraps an NSKeyedArchiver string, which is how Accounts3.sqlite stores ZDATACLASS.ZNAME
 * (a binary plist: `$objects[$top.root]`).
 */
import { parseBinaryPlist } from "../device/plist/binary.js";
import { isPlistDict, PlistUid } from "../device/plist/value.js";

/**
 * The string an NSKeyedArchiver archive holds at its root, whether archived as a plain string or as
 * an NSMutableString dict (`NS.string`); undefined for anything else. Throws on a malformed plist.
 */
export function unarchiveString(bytes: Uint8Array): string | undefined {
  const archive = parseBinaryPlist(bytes, "an NSKeyedArchiver archive");
  if (!isPlistDict(archive)) return undefined;
  const objects = archive.$objects;
  const top = archive.$top;
  if (!Array.isArray(objects) || !isPlistDict(top) || !(top.root instanceof PlistUid)) return undefined;
  const root = objects[top.root.index];
  if (typeof root === "string") return root;
  if (isPlistDict(root) && typeof root["NS.string"] === "string") return root["NS.string"];
  return undefined;
}
