import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, PLATFORM } from "../helpers/compile.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";
import { tempDir } from "../kustomize/support.js";

/**
 * The independent tools on a build with a worker, a job and a cron job under an Istio sidecar
 * mesh: runtime-check finds nothing (Job pods complete: native sidecars), and finds "never
 * complete" when the annotation is taken away (so the check is live); promtool accepts the run alerts.
 */
const SPEC = PLATFORM.replace("  environments dev, prod\n", "  environments dev, prod\n  mesh istio sidecar cni\n  monitoring prometheus\n") + `service api {
  image "r.io/api:1.0.0"
  port http 8080, metrics 9102
}
worker consumer {
  image "r.io/consumer:1.0.0"
  metrics 9102
  health 8081 /healthz
  calls api
}
cronjob settlement {
  image "r.io/settle:1.0.0"
  schedule "0 22 * * 1-5"
  timezone "Europe/London"
  calls api
}
job seed {
  image "r.io/seed:1.0.0"
  calls api
}
`;

describe.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check on workers and jobs", () => {
  let out = "";
  let check = "";
  beforeAll(() => {
    const program = compileSources({ "main.fin": SPEC });
    expect(program.diagnostics.map((d) => d.code)).toEqual([]);
    out = writeBuild(program, buildOutputs(program), "finc-workloads-");
    check = installRuntimeCheck();
  }, 300_000);

  it("0 errors with the needs file; the only warning is the by-design GET /metrics restriction", () => {
    const r = runRuntimeCheck(check, out, "prod", true);
    expect(r.summary).toMatch(/^runtime-check: 0 errors, /);
    expect(r.findings.filter((f) => !/only some requests \(methods\/paths\/JWT\) allowed by apps\/(api|consumer)-metrics$/.test(f))).toEqual([]);
  });

  it("without native sidecars the cron job's and the job's pods would never complete", () => {
    for (const file of ["cronjob-settlement.yaml", "job-seed.yaml"]) {
      const path = join(out, "dev/apps", file);
      writeFileSync(path, readFileSync(path, "utf8").replace(/^ *sidecar\.istio\.io\/nativeSidecar: "true"\n/m, ""));
    }
    const r = runRuntimeCheck(check, out, "dev", false);
    expect(r.findings.filter((f) => f.includes("never complete")).map((f) => f.split(":")[0])).toEqual(["WARN CronJob/apps/settlement", "WARN Job/apps/seed"]);
  });
});

const promtool = spawnSync("promtool", ["--version"]).status === 0;
it.skipIf(!promtool)("promtool accepts the cron job's run alerts", () => {
  const f = buildOutputs(compileSources({ "main.fin": SPEC })).files.find((x) => x.path.endsWith("prometheusrule-settlement-runs.yaml"))!;
  const file = join(tempDir("finc-job-rules"), "rules.yaml");
  writeFileSync(file, YAML.stringify((YAML.parse(f.content) as { spec: unknown }).spec));
  const r = spawnSync("promtool", ["check", "rules", file], { encoding: "utf8" });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toContain("3 rules found");
});
