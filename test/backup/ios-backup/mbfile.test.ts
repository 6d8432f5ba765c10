import { describe, expect, it } from "vitest";
import { decodeMBFile, encodeMBFile, type MBFile } from "../../../src/backup/ios-backup/mbfile.js";
import { type PlistUid, parseBinaryPlist } from "../../../src/device/plist/index.js";

const FILE: MBFile = {
  relativePath: "Media/DCIM/100APPLE/IMG_0001.MOV",
  kind: "file",
  mode: 0o644,
  lastModified: 1_730_800_800,
  birth: 1_730_800_000,
  size: 5_000_000_000,
  protectionClass: 3,
  digest: new Uint8Array(20).fill(7),
  encryptionKey: new Uint8Array(44).fill(9),
};

describe("MBFile records", () => {
  it("round-trip, sizes past 4 GiB included", () => {
    expect(decodeMBFile(encodeMBFile(FILE), "file")).toEqual(FILE);
    const link: MBFile = {
      ...FILE,
      kind: "symlink",
      mode: 0o755,
      size: 4,
      linkTarget: "../x",
      digest: undefined,
      encryptionKey: undefined,
    };
    expect(decodeMBFile(encodeMBFile(link), "symlink")).toEqual(link);
  });

  it("are NSKeyedArchiver archives as devices write them (test/interop reads them with Python's plistlib too)", () => {
    const archive = parseBinaryPlist(encodeMBFile(FILE)) as Record<string, unknown>;
    expect(archive.$archiver).toBe("NSKeyedArchiver");
    const objects = archive.$objects as unknown[];
    const root = objects[((archive.$top as Record<string, PlistUid>).root as PlistUid).index] as Record<
      string,
      unknown
    >;
    // Type bits in Mode (33188 = 0o100644), Unix seconds, 501 for the mobile user.
    expect(root.Mode).toBe(33188);
    expect(root.Size).toBe(5_000_000_000);
    expect(root.LastModified).toBe(1_730_800_800);
    expect(root.UserID).toBe(501);
    expect(objects[(root.RelativePath as PlistUid).index]).toBe(FILE.relativePath);
    const key = objects[(root.EncryptionKey as PlistUid).index] as Record<string, unknown>;
    expect((key["NS.data"] as Uint8Array).length).toBe(44);
    const keyClass = objects[(key.$class as PlistUid).index] as Record<string, unknown>;
    expect(keyClass.$classname).toBe("NSMutableData");
    const fileClass = objects[(root.$class as PlistUid).index] as Record<string, unknown>;
    expect(fileClass.$classes).toEqual(["MBFile", "NSObject"]);
  });

  it("reject what is not an MBFile archive", () => {
    expect(() => decodeMBFile(Buffer.from("bplist00"), "file")).toThrow();
  });
});
