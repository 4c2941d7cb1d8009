import { expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { REPO } from "./helpers/compile.js";
import { INSTALL_ASSUMPTIONS, installAssumptionsTable } from "../compiler/model/install-assumptions.js";

/** The README's "Cluster requirements" table is the data table of install-assumptions.ts, row for row. */
it("the README's cluster requirements table equals the install assumptions data", () => {
  const readme = readFileSync(resolve(REPO, "README.md"), "utf8");
  const section = /## Cluster requirements\n[\s\S]*?\n(\| component[\s\S]*?)\n\n/.exec(readme + "\n\n")?.[1];
  expect(section).toBeDefined();
  expect(section!.trim()).toBe(installAssumptionsTable());
  // One row per entry, in the data's order (independent of the generator's formatting).
  const components = section!.split("\n").slice(2).map((r) => r.split(" | ")[0]!.replace(/^\| /, ""));
  expect(components).toEqual(INSTALL_ASSUMPTIONS.map((a) => a.component));
});
