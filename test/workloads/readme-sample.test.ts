import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";
import { compileSources, PLATFORM, REPO, summarize } from "../helpers/compile.js";

/** The README's "Workers and jobs" sample compiles cleanly next to a platform and the database it names. */
it("the README's workers and jobs sample compiles without a diagnostic", () => {
  const readme = readFileSync(resolve(REPO, "README.md"), "utf8");
  const sample = /### Workers and jobs\n[\s\S]*?```fin\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(sample).toBeDefined();
  const program = compileSources({ "main.fin": `${PLATFORM}database books {\n  storage 10Gi\n  credentials from vault "db/books"\n}\n${sample!}` });
  expect(program.diagnostics.map((d) => ({ ...summarize(program, d), message: d.message }))).toEqual([]);
  const services = program.checked.models.get("prod")!.services;
  expect(services.map((s) => [s.name, s.workload])).toEqual([["ledger", "worker"], ["settlement", "cronjob"]]);
});
