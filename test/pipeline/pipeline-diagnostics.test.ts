import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf, itReportsEach, platformSpec } from "../helpers/compile.js";

/** A bad promote chain is refused at its offending environment name, on the `pipeline` line (line 3). */
describe("pipeline diagnostics", () => {
  const at = (pipeline: string) => platformSpec(`  pipeline ${pipeline}`, "dev, staging, prod");
  itReportsEach([
    { name: "an environment the platform does not have", spec: at("github-actions promote dev -> stagign -> prod"), code: "FIN4071", covers: "stagign", line: 3 },
    { name: "production before another environment", spec: at("github-actions promote dev -> prod -> staging"), code: "FIN4071", covers: "prod", line: 3 },
    { name: "an environment promoted to twice", spec: at("github-actions promote dev -> staging -> dev"), code: "FIN4071", covers: "dev", line: 3 },
    { name: "a spec path outside the repository", spec: at('github-actions spec "../platform"'), code: "FIN4071", covers: '"../platform"', line: 3 },
    { name: "an unknown CI system", spec: at("jenkins"), code: "FIN3007", covers: "jenkins", line: 3 },
  ]);

  it("a chain through the platform's environments with production last is clean", () => {
    expect(diagnosticsOf({ "main.fin": at('github-actions spec "platform" promote dev -> staging -> prod') })).toEqual([]);
  });

  it("production named twice is one duplicate, not also 'not last'", () => {
    const found = diagnosticsOf({ "main.fin": at("github-actions promote dev -> prod -> prod") });
    expect(found.map((d) => `${d.code} ${d.text}`)).toEqual(["FIN4071 prod"]);
    expect(compileSources({ "main.fin": at("github-actions promote dev -> prod -> prod") }).diagnostics.map((d) => d.message)).toEqual(["'prod' is promoted to twice."]);
  });
});
