import { spawnSync } from "node:child_process";
import { it } from "vitest";

/**
 * A test that needs a Debian peer (khard, vdirsyncer, libimobiledevice...). Outside CI a missing
 * peer skips the test and says why; under CI=true the test runs and fails, because .ci/run
 * installs every peer.
 */
export function withPeer(command: string, debianPackage: string): typeof it.skip {
  const found = spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;
  if (found || process.env.CI === "true") return it;
  const reason = `skipped: ${command} not installed (apt-get install ${debianPackage}); CI installs it`;
  console.warn(reason);
  return it.skip;
}
