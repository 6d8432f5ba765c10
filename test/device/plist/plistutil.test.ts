import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect } from "vitest";
import {
  buildBinaryPlist,
  buildXmlPlist,
  type PlistValue,
  parseBinaryPlist,
  parsePlist,
} from "../../../src/device/plist/index.js";
import { withPeer } from "../../interop/peer.js";
import { decoded, plistValue } from "./arbitraries.js";

// libplist (Debian's libplist-utils, what libimobiledevice links) is the reader and writer the
// device tools use: whatever we write it must read identically, and the other way round.
const peer = withPeer("plistutil", "libplist-utils");
const dir = mkdtempSync(join(tmpdir(), "cradle-plistutil-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plistutil(input: Uint8Array | string, format: "bin" | "xml"): Buffer {
  writeFileSync(join(dir, "in"), input);
  rmSync(join(dir, "out"), { force: true });
  // plistutil 2.2 exits 0 even when it cannot convert; the missing output file tells.
  const run = spawnSync("plistutil", ["-i", join(dir, "in"), "-o", join(dir, "out"), "-f", format]);
  if (run.status !== 0 || !existsSync(join(dir, "out"))) throw new Error(`plistutil failed: ${run.stderr}`);
  return readFileSync(join(dir, "out"));
}

describe("binary plists beside libplist's plistutil", () => {
  peer("libplist reads what we write and writes what we read (binary both ways)", () => {
    fc.assert(
      fc.property(
        fc.array(plistValue({ nulls: false, uids: true, xmlSafe: false }), { maxLength: 8 }),
        (values) => {
          const ours = buildBinaryPlist(values);
          expect(parseBinaryPlist(plistutil(ours, "bin"))).toEqual(decoded(values));
        },
      ),
      { numRuns: 20 },
    );
  });

  const xmlSafeValues = fc.array(plistValue({ nulls: false, uids: false, xmlSafe: true }), { maxLength: 8 });

  peer("libplist's XML of our binary, and its binary of our XML, are the values we wrote", () => {
    fc.assert(
      fc.property(xmlSafeValues, (values) => {
        expect(parsePlist(plistutil(buildBinaryPlist(values), "xml"))).toEqual(decoded(values));
        expect(parsePlist(plistutil(buildXmlPlist(values), "bin"))).toEqual(decoded(values));
      }),
      { numRuns: 20 },
    );
  });

  peer("libplist writes whole reals as 4-byte floats and uint64 as 16 bytes; we read both", () => {
    const xml = buildXmlPlist({ half: 0.5 });
    const value: PlistValue = parsePlist(
      plistutil(
        xml.replace(
          "<real>0.5</real>",
          "<real>2</real><key>big</key><integer>18446744073709551615</integer>",
        ),
        "bin",
      ),
    );
    expect(value).toEqual({ half: 2, big: 2n ** 64n - 1n });
  });
});
