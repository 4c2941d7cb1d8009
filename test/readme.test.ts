import { expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
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

/** The Safety section names the tests that hold each guarantee: they must exist. */
it("every test file the README names exists", () => {
  const readme = readFileSync(resolve(REPO, "README.md"), "utf8");
  const named = [...readme.matchAll(/`(test\/[\w./-]+\.test\.ts)`/g)].map((m) => m[1]!);
  expect(named.length).toBeGreaterThan(10);
  expect(named.filter((p) => !existsSync(resolve(REPO, p)))).toEqual([]);
});
