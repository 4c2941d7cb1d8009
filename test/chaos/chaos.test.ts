import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, itReportsEach, platformSpec } from "../helpers/compile.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { k8sValidate, k8sValidateAvailable } from "../secrets/k8s-validate.js";

/** web (3 replicas) calls api (2) and reads ledger; api calls ledger; report is a cronjob that calls api. */
const SERVICES = `database ledger {
  namespace   apps
  storage     10Gi
  credentials from vault "apps/ledger"
}
service web {
  namespace apps
  image     "r.io/web:1.0.0"
  port      http 8080
  replicas  3
  calls     api
  secret    DATABASE_URL from ledger.url
}
service api {
  namespace apps
  image     "r.io/api:1.0.0"
  port      http 8080
  replicas  2
  calls     ledger
}
service audit {
  namespace apps
  image     "r.io/audit:1.0.0"
  port      http 8080
  replicas  1
}
cronjob report {
  namespace apps
  image     "r.io/report:1.0.0"
  schedule  "0 2 * * *"
  calls     api
}
`;

function build(chaos = '  chaos staging latency 300ms for 90s') {
  const program = compileSources({ "main.fin": platformSpec(chaos, "dev, staging, prod") + SERVICES });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out = buildOutputs(program);
  const schedules = (env: string) =>
    out.files.filter((f) => f.path.startsWith(`${env}/`)).map((f) => parseYaml(f.content) as Record<string, any>).filter((o) => o.kind === "Schedule");
  return { out, schedules };
}

describe("chaos", () => {
  it("derives the experiments from the call graph, only in the environments named", () => {
    const { schedules } = build();
    expect(schedules("staging").map((s) => s.metadata.name).sort()).toEqual([
      // api (2 replicas) and web (3) lose one; audit runs one and is spared.
      "api-pod-kill",
      // Calls between services (the cronjob's call to api too); calls to a database are partitions instead.
      "ledger-partition",
      "report-to-api-latency",
      "web-pod-kill",
      "web-to-api-latency",
    ].sort());
    expect(schedules("dev")).toEqual([]);
    expect(schedules("prod")).toEqual([]);
  });

  it("adds the latency to the callee's pods only, for the experiment's duration, never overlapping", () => {
    const s = build().schedules("staging").find((x) => x.metadata.name === "web-to-api-latency")!;
    expect(s.spec).toMatchObject({ schedule: "0 10 * * 2-4", type: "NetworkChaos", concurrencyPolicy: "Forbid" });
    expect(s.spec.networkChaos).toEqual({
      action: "delay",
      mode: "all",
      selector: { namespaces: ["apps"], labelSelectors: { "app.kubernetes.io/name": "web" } },
      direction: "to",
      target: { mode: "all", selector: { namespaces: ["apps"], labelSelectors: { "app.kubernetes.io/name": "api" } } },
      delay: { latency: "300ms", jitter: "30ms", correlation: "25" },
      duration: "90s",
    });
  });

  it("partitions the database's primary from every service that uses it (calls or a secret from its outputs)", () => {
    const s = build().schedules("staging").find((x) => x.metadata.name === "ledger-partition")!;
    expect(s.spec.networkChaos.selector).toEqual({ namespaces: ["apps"], labelSelectors: { "cnpg.io/cluster": "ledger", "cnpg.io/instanceRole": "primary" } });
    expect(s.spec.networkChaos.target.selector.expressionSelectors).toEqual([{ key: "app.kubernetes.io/name", operator: "In", values: ["api", "web"] }]);
    expect(s.spec.networkChaos.direction).toBe("both");
  });

  it("kills one pod at a time", () => {
    const s = build().schedules("staging").find((x) => x.metadata.name === "web-pod-kill")!;
    expect(s.spec.podChaos).toMatchObject({ action: "pod-kill", mode: "one", selector: { labelSelectors: { "app.kubernetes.io/name": "web" } } });
  });

  it("runs in production only when allowed", () => {
    expect(build("  chaos staging prod allow-production").schedules("prod").map((s) => s.metadata.name)).toEqual(build().schedules("staging").map((s) => s.metadata.name));
  });

  it.skipIf(!k8sValidateAvailable())("every Schedule passes the shared k8s-validate (Chaos Mesh's schema)", () => {
    const { out } = build();
    const dir = mkdtempSync(join(tmpdir(), "finc-chaos-"));
    const paths = out.files.filter((f) => f.path.startsWith("staging/") && f.path.includes("/schedule-")).map((f) => {
      const path = join(dir, f.path.replace(/\//g, "_"));
      writeFileSync(path, f.content);
      return path;
    });
    expect(paths.length).toBe(5);
    const r = k8sValidate(paths);
    expect(r.results.filter((x) => x.status !== "OK")).toEqual([]);
    expect(r.results.map((x) => x.schema)).toEqual(Array(5).fill("crds/chaos-mesh.org/schedule_v1alpha1.json"));
  });
});

describe("chaos diagnostics", () => {
  const at = (chaos: string) => platformSpec(`  ${chaos}`, "dev, staging, prod");
  itReportsEach([
    { name: "production without allow-production", spec: at("chaos staging prod"), code: "FIN4070", covers: "prod", line: 3 },
    { name: "an unknown environment", spec: at("chaos stagign"), code: "FIN4070", covers: "stagign", line: 3 },
    { name: "a bad schedule", spec: at('chaos staging schedule "often"'), code: "FIN3016", covers: '"often"', line: 3 },
    { name: "latency beyond 10s", spec: at("chaos staging latency 30s"), code: "FIN3004", covers: "30s", line: 3 },
  ]);
});
