import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, REPO } from "../helpers/compile.js";
import { tempDir } from "../kustomize/support.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, writeBuild } from "../helpers/runtime-check.js";
import { k8sValidate, k8sValidateAvailable } from "../secrets/k8s-validate.js";

/**
 * A sleeping dev environment with cost centers, through the independent tools: the ScaledObjects
 * (a converted HPA, a fixed-replica worker, a Kafka one with the cron trigger added), the
 * PodDisruptionBudget of a 2-replica service next to `minReplicaCount: 0`, and the labelled
 * Namespace and pods — schema-valid, policy-check --strict clean, runtime-check 0 errors.
 */
const SPEC = `platform p {
  cloud        aws
  environments dev, prod
  cost-center  "cc-0001"
}
namespace apps {
  cost-center "cc-4410"
}
service api {
  namespace apps
  image     "r.io/api:1.0.0"
  port      http 8080
  replicas  2 to 4 at cpu 70%
  calls     events
}
worker indexer {
  namespace apps
  image     "r.io/indexer:1.0.0"
  replicas  1
}
service events {
  namespace apps
  image     "r.io/events:1.0.0"
  port      http 8080
  replicas  1 to 8
  scale     on kafka "payments.events" lag 500
}
cronjob report {
  namespace apps
  image     "r.io/report:1.0.0"
  schedule  "0 2 * * *"
}
environment dev {
  platform.sleep nights weekends timezone "Europe/London"
}
`;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : p.endsWith(".yaml") ? [p] : [];
  });
}

describe("a sleeping dev environment through k8s-validate, policy-check and runtime-check", () => {
  let out = "";
  beforeAll(() => {
    const program = compileSources({ "main.fin": SPEC });
    expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual([]);
    out = writeBuild(program, buildOutputs(program, { environments: ["dev"] }), "finc-sleep-");
  });

  it.skipIf(!k8sValidateAvailable())("k8s-validate: every document valid, the ScaledObjects and the PDB among them", () => {
    const r = k8sValidate(yamlFiles(join(out, "dev")));
    expect(r.results.filter((x) => x.status !== "OK").map((x) => `${x.file}: ${JSON.stringify(x.errors)}`)).toEqual([]);
    expect(r.results.filter((x) => x.kind === "ScaledObject")).toHaveLength(3);
    expect(r.results.map((x) => x.kind)).toEqual(expect.arrayContaining(["PodDisruptionBudget", "Namespace", "CronJob"]));
  }, 300_000);

  const POLICY = resolve(REPO, "../shared/tools/policy-check");
  it.skipIf(!existsSync(POLICY))("policy-check --strict passes", () => {
    const tool = join(tempDir("policy-check"), "policy-check");
    cpSync(POLICY, tool, { recursive: true, filter: (p) => !p.includes("node_modules") });
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent"], { cwd: tool, stdio: "ignore" });
    const r = spawnSync("node", [join(tool, "check.mjs"), "--strict", "--polaris-dir", resolve(REPO, "../shared/policy/polaris"), join(out, "dev")], { encoding: "utf8" });
    expect(r.status, r.stdout.slice(-3000)).toBe(0);
  }, 300_000);

  it.skipIf(!RUNTIME_CHECK_PRESENT)("runtime-check: 0 errors with the needs file (the ScaledObjects' targets exist)", () => {
    const r = runRuntimeCheck(installRuntimeCheck(), out, "dev", true);
    expect(r.findings.filter((f) => f.startsWith("ERROR"))).toEqual([]);
    expect(r.summary).toMatch(/^runtime-check: 0 errors, /);
  }, 300_000);
});
