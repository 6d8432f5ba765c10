import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { deflateJson } from "../../src/core/deflated-json.js";
import { SCHEMA, SCHEMA_VERSION } from "../../src/state/schema.js";
import { SyncState } from "../../src/state/store.js";

it("opens a state written by schema version 1 and migrates it in place", () => {
  const file = join(mkdtempSync(join(tmpdir(), "cradle-state-")), "old.sqlite");
  const old = new Database(file);
  // Version 1 had no reflects/content columns on placements.
  old.exec(SCHEMA.replace("  reflects TEXT,\n  content BLOB,\n", ""));
  old.prepare("INSERT INTO meta VALUES ('schema', '1')").run();
  old
    .prepare(
      "INSERT INTO placements (endpoint, native_id, record, token, hash) VALUES (1, 'a.vcf', 1, 't', 'h')",
    )
    .run();
  old.close();

  const state = SyncState.open(file);
  expect(state.placements(1).get("a.vcf")).toEqual({ nativeId: "a.vcf", record: 1, token: "t", hash: "h" });
  state.savePlacement(1, {
    nativeId: "b.vcf",
    record: 2,
    token: "t",
    hash: "h2",
    reflects: "r",
    content: deflateJson("{}"),
  });
  expect(state.placementContent(1, "b.vcf")).toBe("{}");
  state.close();
  const check = new Database(file);
  expect(check.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get()).toBe(
    String(SCHEMA_VERSION),
  );
  check.close();
});

it("refuses a state from a newer Cradle instead of damaging it", () => {
  const file = join(mkdtempSync(join(tmpdir(), "cradle-state-")), "new.sqlite");
  const newer = new Database(file);
  newer.exec(SCHEMA);
  newer.prepare("INSERT INTO meta VALUES ('schema', ?)").run(String(SCHEMA_VERSION + 1));
  newer.close();
  expect(() => SyncState.open(file)).toThrow(/newer than this Cradle/);
});
