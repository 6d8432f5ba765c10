import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tinyJpeg } from "../../src/device/virtual/jpeg.js";
import { withPeer } from "../interop/peer.js";

describe("tinyJpeg", () => {
  it("gives each comment its own bytes, framed as a JPEG", () => {
    const a = tinyJpeg(100, "one");
    const b = tinyJpeg(100, "two");
    expect(a.equals(b)).toBe(false);
    expect([...a.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...a.subarray(-2)]).toEqual([0xff, 0xd9]);
  });

  withPeer("djpeg", "libjpeg-turbo-progs")("decodes to an 8×8 block of the asked grey (djpeg)", () => {
    const dir = mkdtempSync(join(tmpdir(), "cradle-jpeg-"));
    for (const grey of [0, 37, 128, 200, 255]) {
      const file = join(dir, `${grey}.jpg`);
      writeFileSync(file, tinyJpeg(grey, `grey ${grey}`));
      const out = spawnSync("djpeg", ["-grayscale", "-pnm", file]);
      expect(out.stderr.toString()).toBe("");
      // P5 (binary greymap) header "P5\n8 8\n255\n", then 64 pixels.
      const pixels = out.stdout.subarray(out.stdout.length - 64);
      expect(out.stdout.subarray(0, 11).toString()).toBe("P5\n8 8\n255\n");
      for (const p of pixels) expect(Math.abs(p - grey)).toBeLessThanOrEqual(1);
    }
  });
});
