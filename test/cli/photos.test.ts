import { describe, expect, it } from "vitest";
import { showCommand } from "../../src/cli/commands/show.js";
import { syncCommand } from "../../src/cli/commands/sync.js";
import { setup } from "../merge/albums/helpers.js";
import { captured } from "../support/output.js";

describe("cradle sync photos / show photos", () => {
  it("syncs a virtual iPhone's albums into folders and shows them as title, folder, count", async () => {
    const { phone, pcs, state } = setup();
    const pc = pcs[0] as string;
    const run = captured(true);
    expect(
      await syncCommand.run(["photos", `ios:${phone}`, `albums:${pc}`, "--state", state, "--json"], run.out),
    ).toBe(0);
    expect(run.printed[0]?.value).toMatchObject({
      domain: "photos",
      endpoints: [
        { uri: `ios:${phone}`, created: 0 },
        { uri: `albums:${pc}`, created: 5 },
      ],
    });
    const shown = captured(true);
    expect(await showCommand.run(["photos", `albums:${pc}`, "--json"], shown.out)).toBe(0);
    expect(shown.printed[0]?.value).toEqual([
      { title: "Garden", folder: "", count: 3 },
      { title: "Holidays", folder: "", count: 2 },
      { title: "Family", folder: "Trips/2024", count: 1 },
    ]);
    const text = captured(false);
    await showCommand.run(["photos", `ios:${phone}`], text.out);
    expect(text.printed[0]?.text.split("\n")).toEqual([
      "Trips/2024/Family  (1)",
      "Holidays  (2)",
      "Garden  (3)",
    ]);
  });

  it("says which endpoints photos takes (exit 2)", async () => {
    await expect(
      syncCommand.run(["photos", "vdir:/x", "albums:/y"], captured(false).out),
    ).rejects.toMatchObject({
      exitCode: 2,
    });
  });
});
