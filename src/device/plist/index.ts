/**
 * Property lists for the device protocols: binary (our codec) and XML (the `plist` package), read
 * by sniffing the header. lockdownd and notification_proxy speak XML, DeviceLink services binary.
 */
import { build, parse } from "plist";
import { isBinaryPlist, parseBinaryPlist } from "./binary.js";
import { MalformedPlistError } from "./errors.js";
import { isPlistDict, type PlistDict, PlistReal, PlistUid, type PlistValue, setPlistKey } from "./value.js";

export { buildBinaryPlist, isBinaryPlist, parseBinaryPlist } from "./binary.js";
export { MalformedPlistError } from "./errors.js";
export * from "./value.js";

/** Reads a binary or XML plist. `what` names the file or message in errors. */
export function parsePlist(bytes: Uint8Array, what = "plist"): PlistValue {
  if (isBinaryPlist(bytes)) return parseBinaryPlist(bytes, what);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  // Bytes that are neither encoding are refused before the XML parser sees them (it logs what it rejects).
  if (!/^\s*</.test(text.replace(/^\uFEFF/, "")))
    throw new MalformedPlistError(`${what} is not a valid plist: neither XML nor binary.`, { what });
  try {
    return parse(text) as PlistValue;
  } catch (error) {
    throw new MalformedPlistError(`${what} is not a valid plist: ${(error as Error).message}.`, { what });
  }
}

/** Reads a plist that must hold a dictionary (every service message does). */
export function parsePlistDict(bytes: Uint8Array, what = "plist"): PlistDict {
  const value = parsePlist(bytes, what);
  if (!isPlistDict(value)) throw new MalformedPlistError(`${what} does not hold a dictionary.`, { what });
  return value;
}

/**
 * Writes an XML plist. XML has no UIDs or whole reals: a UID is written as {CF$UID: n}, as Apple's
 * tools do, and a whole real (a PlistReal, 1e100) as an integer. Integers beyond 2^53 are read back rounded.
 */
export function buildXmlPlist(value: PlistValue): string {
  // libplist 2.2 (libimobiledevice's) cannot read an empty key written as <key/>; text never holds "<".
  return build(toXmlValue(value) as Parameters<typeof build>[0]).replaceAll("<key/>", "<key></key>");
}

function toXmlValue(value: PlistValue): unknown {
  if (value instanceof PlistUid) return { CF$UID: value.index };
  if (value instanceof PlistReal) return value.value;
  if (Array.isArray(value)) return value.map(toXmlValue);
  if (isPlistDict(value)) {
    const dict: PlistDict = {};
    for (const [key, item] of Object.entries(value)) setPlistKey(dict, key, toXmlValue(item) as PlistValue);
    return dict;
  }
  return value;
}
