/** The benchmark page writer replaces only the sections that ran and keeps notes written by hand. */
import { expect, it } from "vitest";
import { docsPage, withSection } from "../../bench/docs.js";

const page = `# Benchmarks (an old head)

<!-- bench:contacts -->
old contacts table
<!-- /bench:contacts -->

A note written by hand under the contacts table.

<!-- bench:ios -->
old ios table
<!-- /bench:ios -->

Another note, after the ios section.
`;

it("replaces one marked section and keeps everything around it", () => {
  const written = withSection(page, "ios", "<!-- bench:ios -->\nnew ios table\n<!-- /bench:ios -->");
  expect(written).toContain("new ios table");
  expect(written).not.toContain("old ios table");
  expect(written).toContain("old contacts table");
  expect(written).toContain("A note written by hand under the contacts table.");
  expect(written.indexOf("new ios table")).toBeLessThan(
    written.indexOf("Another note, after the ios section."),
  );
});

it("appends a section the page does not have yet", () => {
  const written = withSection(page, "photos", "<!-- bench:photos -->\nphotos\n<!-- /bench:photos -->");
  expect(written.trimEnd().endsWith("<!-- /bench:photos -->")).toBe(true);
  expect(written).toContain("old ios table");
});

it("rewrites the head, keeps the hand-written notes and other parts' sections, and marks a part never run", () => {
  const env = { date: "d", nproc: "2", cpu: "cpu", node: "v20", vdirsyncer: "0.19" };
  const written = docsPage(env, [], page);
  expect(written).not.toContain("an old head");
  expect(written.startsWith("# Benchmarks")).toBe(true);
  expect(written).toContain("old contacts table");
  expect(written).toContain("A note written by hand under the contacts table.");
  expect(written).toContain("old ios table");
  expect(written).toContain("Another note, after the ios section.");
  expect(written).toContain("Not run yet: `npm run bench -- --only calendars`.");
});
