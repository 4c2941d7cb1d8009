import { expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { compileSources, REPO, summarize } from "./helpers/compile.js";

/** The README's example is what people copy first: it must compile without a single diagnostic. */
it("the README's example compiles cleanly", () => {
  const readme = readFileSync(resolve(REPO, "README.md"), "utf8");
  const example = /## A short example\n\n```fin\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  const program = compileSources({ "readme.fin": example! });
  expect(program.diagnostics.map((d) => ({ ...summarize(program, d), message: d.message }))).toEqual([]);
  expect(program.checked.models.get("prod")!.services.map((s) => s.name)).toEqual(["api"]);
});
