import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileSources } from "../helpers/compile.js";
import { installRuntimeCheck, runRuntimeCheck, RUNTIME_CHECK_PRESENT, RUNTIME_CHECK_SKIPPED, writeBuild } from "../helpers/runtime-check.js";

/**
 * Who can reach the pprof port, judged by the shared runtime-check (NetworkPolicy and Istio
 * semantics written independently of finc) on the built manifests plus hand-written pods that
 * stand for the cluster around them: the profiler in namespace `parca`, an intruder in another
 * namespace (in the mesh, so it has an identity), and the ingress gateway runtime-check knows.
 */
const SPEC = `platform p {
  mesh         istio sidecar cni
  ingress      istio
  environments dev, prod
  profiling    parca
}
namespace apps {}
service api {
  image   "r.io/api:1.0.0"
  port    http 8080
  expose  "api.example.com" path /v1
  profile pprof on 6060
}
service web {
  image "r.io/web:1.0.0"
  port  http 8080
  calls api
}
worker w {
  image   "r.io/w:1.0.0"
  profile pprof on 6060
}
`;

const pod = (ns: string, name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: ${name} } }
  template:
    metadata: { labels: { app.kubernetes.io/name: ${name} } }
    spec:
      serviceAccountName: default
      containers: [{ name: ${name}, image: "r.io/${name}:1.0.0" }]
`;
const namespace = (name: string, labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name}, labels: { ${labels} } }\n`;

type Edge = { from: string; to: string; port: number };

describe.skipIf(!RUNTIME_CHECK_PRESENT)("pprof reachability (runtime-check)", () => {
  let out = "";
  let check = "";
  const edges = new Map<string, Edge[]>();
  beforeAll(() => {
    check = installRuntimeCheck();
    out = writeBuild(compileSources({ "main.fin": SPEC }));
    for (const env of ["dev", "prod"]) {
      // Beside the build, not in it: runtime-check reads both directories as one cluster.
      const extra = join(out, `${env}-cluster`);
      mkdirSync(extra, { recursive: true });
      writeFileSync(join(extra, "parca.yaml"), `${namespace("parca", "team: observability")}---\n${pod("parca", "parca")}`);
      writeFileSync(join(extra, "other.yaml"), `${namespace("other", "istio-injection: enabled")}---\n${pod("other", "intruder")}`);
      const json = join(out, `${env}.json`);
      spawnSync(process.execPath, [check, "--json", json, join(out, env), extra], { encoding: "utf8" });
      edges.set(env, (JSON.parse(readFileSync(json, "utf8")) as { edges: Edge[] }).edges);
    }
  }, 300_000);

  const allowed = (env: string, from: string, to: string, port: number) => edges.get(env)!.some((e) => e.from === from && e.to === to && e.port === port);

  it("admits the profiler's namespace to the pprof port of a service and a worker (dev)", () => {
    expect(allowed("dev", "parca/parca", "apps/api", 6060)).toBe(true);
    expect(allowed("dev", "parca/parca", "apps/w", 6060)).toBe(true);
  });

  it("denies another namespace, a caller in the same namespace and the ingress gateway", () => {
    for (const to of ["apps/api", "apps/w"]) {
      expect(allowed("dev", "other/intruder", to, 6060), `intruder -> ${to}`).toBe(false);
      expect(allowed("dev", "platform:ingress-gateway", to, 6060), `gateway -> ${to}`).toBe(false);
    }
    expect(allowed("dev", "apps/web", "apps/api", 6060)).toBe(false);
    // …while what they are meant to reach still works: the gateway and the caller on 8080.
    expect(allowed("dev", "platform:ingress-gateway", "apps/api", 8080)).toBe(true);
    expect(allowed("dev", "apps/web", "apps/api", 8080)).toBe(true);
    // The profiler reaches the pprof port only.
    expect(allowed("dev", "parca/parca", "apps/api", 8080)).toBe(false);
  });

  it("is off in prod: nothing reaches 6060", () => {
    expect(edges.get("prod")!.filter((e) => e.port === 6060)).toEqual([]);
  });

  it("the build alone passes runtime-check with its needs file, in both environments", () => {
    for (const env of ["dev", "prod"]) {
      const r = runRuntimeCheck(check, out, env, true);
      expect(r.summary, r.findings.join("\n")).toMatch(/^runtime-check: 0 errors, 0 warnings/);
    }
  });
});

if (!RUNTIME_CHECK_PRESENT) it.skip(RUNTIME_CHECK_SKIPPED, () => {});
