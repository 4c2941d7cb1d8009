import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, itReportsEach } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

type Obj = Record<string, any>;

const platform = (extra = "", mesh = "istio sidecar cni") => `platform p {
  mesh         ${mesh}
  ingress      istio
  environments dev, staging, prod
${extra}}
namespace apps {}
`;
const api = (extra = "") => `service api {\n  image  "r.io/api:1.0.0"\n  port   http 8080\n  expose "api.example.com" path /v1\n${extra}}\n`;
const worker = (extra = "") => `worker w {\n  image "r.io/w:1.0.0"\n${extra}}\n`;

function build(files: Record<string, string>): Map<string, Obj[]> {
  const program = compileSources(files);
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return new Map([...buildOutputs(program).documents].map(([env, docs]) => [env, docs.map((d) => d.object as Obj)]));
}
const find = (docs: Obj[], kind: string, name: string): Obj | undefined => docs.find((d) => d["kind"] === kind && d["metadata"].name === name);
const app = (docs: Obj[], name: string): Obj => find(docs, "Deployment", name)!["spec"].template;
const own = (name: string) => ({ matchLabels: { "app.kubernetes.io/name": name } });

describe("profile pprof on 6060 with Parca (sidecar mesh)", () => {
  const envs = build({ "main.fin": platform("  profiling    parca\n") + api("  profile pprof on 6060\n") });
  const dev = envs.get("dev")!;

  it("declares the container port pprof and the Parca scrape annotations", () => {
    const t = app(dev, "api");
    expect(t.spec.containers[0].ports).toEqual([
      { name: "http", containerPort: 8080, protocol: "TCP" },
      { name: "pprof", containerPort: 6060, protocol: "TCP" },
    ]);
    expect(t.metadata.annotations).toMatchObject({ "parca.dev/scrape": "true", "parca.dev/port": "pprof" });
  });

  it("keeps the port off the Service and off every route: the gateway cannot reach it", () => {
    expect(find(dev, "Service", "api")!["spec"].ports.map((p: Obj) => p.port)).toEqual([8080]);
    const routes = dev.filter((d) => d["kind"] === "VirtualService").flatMap((v) => v["spec"].http ?? []).flatMap((h: Obj) => h.route ?? []);
    expect(routes.length).toBeGreaterThan(0);
    for (const r of routes) expect(r.destination.port?.number).not.toBe(6060);
    // The call graph's and the gateway's rules name the serving port only.
    const traffic = find(dev, "NetworkPolicy", "api-traffic")!;
    expect(JSON.stringify(traffic["spec"].ingress)).not.toContain("6060");
    expect(JSON.stringify(find(dev, "AuthorizationPolicy", "api")!["spec"])).not.toContain("6060");
  });

  it("admits the profiling namespace alone, on the pprof port alone (NetworkPolicy)", () => {
    expect(find(dev, "NetworkPolicy", "api-profiling")!["spec"]).toEqual({
      podSelector: own("api"),
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "parca" } } }], ports: [{ protocol: "TCP", port: 6060 }] }],
    });
  });

  it("admits it in the mesh: plain text on that port only, from the profiling namespace or no identity", () => {
    expect(find(dev, "PeerAuthentication", "api-profiling")!["spec"]).toEqual({ selector: own("api"), mtls: { mode: "STRICT" }, portLevelMtls: { "6060": { mode: "PERMISSIVE" } } });
    expect(find(dev, "AuthorizationPolicy", "api-profiling")!["spec"]).toEqual({
      selector: own("api"),
      action: "ALLOW",
      rules: [{ from: [{ source: { namespaces: ["parca"] } }, { source: { notPrincipals: ["*"] } }], to: [{ operation: { ports: ["6060"] } }] }],
    });
  });

  it("is on in dev and staging, off in prod: no port, no annotation, no policy", () => {
    expect(find(envs.get("staging")!, "NetworkPolicy", "api-profiling")).toBeDefined();
    const prod = envs.get("prod")!;
    const t = app(prod, "api");
    expect(t.spec.containers[0].ports.map((p: Obj) => p.name)).toEqual(["http"]);
    expect(Object.keys(t.metadata.annotations ?? {}).filter((k) => k.startsWith("parca.dev/"))).toEqual([]);
    expect(prod.filter((d) => d["metadata"].name === "api-profiling")).toEqual([]);
  });

  it("every document validates against its schema", () => {
    if (!schemasAvailable) return;
    for (const d of dev.filter((x) => x["metadata"].name.startsWith("api"))) expect(validateManifest(d), `${d["kind"]}/${d["metadata"].name}`).toEqual([]);
  });
});

describe("where profiling is on", () => {
  it("`in staging prod` turns it on in production (asked for) and off where not named", () => {
    const envs = build({ "main.fin": platform("  profiling    parca\n") + api("  profile pprof on 6060 in staging prod\n") });
    expect(find(envs.get("prod")!, "NetworkPolicy", "api-profiling")).toBeDefined();
    expect(find(envs.get("staging")!, "NetworkPolicy", "api-profiling")).toBeDefined();
    expect(find(envs.get("dev")!, "NetworkPolicy", "api-profiling")).toBeUndefined();
  });

  it("a profile written in prod's own block is asked for there; the base one stays off in prod", () => {
    const asked = build({ "main.fin": platform("  profiling    parca\n") + api() + "environment prod {\n  api.profile pprof on 6060\n}\n" });
    expect(find(asked.get("prod")!, "NetworkPolicy", "api-profiling")).toBeDefined();
    expect(find(asked.get("dev")!, "NetworkPolicy", "api-profiling")).toBeUndefined();
    const base = build({ "main.fin": platform("  profiling    parca\n") + api("  profile pprof on 6060\n") + "environment prod {\n  api.replicas 3\n}\n" });
    expect(find(base.get("prod")!, "NetworkPolicy", "api-profiling")).toBeUndefined();
  });

  it("an environment can turn it on in prod (`environment prod { api.profile … in prod }`) or off (`profile none`)", () => {
    const envs = build({ "main.fin": platform("  profiling    parca\n") + api("  profile pprof on 6060\n") + "environment prod {\n  api.profile pprof on 6061 in prod\n}\nenvironment staging {\n  api.profile none\n}\n" });
    expect(find(envs.get("prod")!, "NetworkPolicy", "api-profiling")!["spec"].ingress[0].ports).toEqual([{ protocol: "TCP", port: 6061 }]);
    expect(find(envs.get("staging")!, "NetworkPolicy", "api-profiling")).toBeUndefined();
    expect(find(envs.get("dev")!, "NetworkPolicy", "api-profiling")).toBeDefined();
  });
});

describe("Pyroscope, a namespace of one's own, ambient mode and workers", () => {
  it("annotates for Grafana Alloy's pyroscope discovery and admits the named namespace", () => {
    const dev = build({ "main.fin": platform("  profiling    pyroscope namespace observability\n") + api("  profile pprof on 6060\n") }).get("dev")!;
    expect(app(dev, "api").metadata.annotations).toMatchObject({
      "profiles.grafana.com/cpu.scrape": "true", "profiles.grafana.com/cpu.port": "6060",
      "profiles.grafana.com/memory.scrape": "true", "profiles.grafana.com/memory.port": "6060",
      "profiles.grafana.com/goroutine.scrape": "true", "profiles.grafana.com/goroutine.port": "6060",
    });
    expect(find(dev, "NetworkPolicy", "api-profiling")!["spec"].ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } } }]);
  });

  it("ambient: ztunnel carries the profiler's identity, so only that namespace is admitted and no PeerAuthentication is written", () => {
    const dev = build({ "main.fin": platform("  profiling    parca\n", "istio ambient") + api("  profile pprof on 6060\n") }).get("dev")!;
    expect(find(dev, "AuthorizationPolicy", "api-profiling")!["spec"].rules).toEqual([{ from: [{ source: { namespaces: ["parca"] } }], to: [{ operation: { ports: ["6060"] } }] }]);
    expect(find(dev, "PeerAuthentication", "api-profiling")).toBeUndefined();
  });

  it("a worker with a metrics port keeps ONE PeerAuthentication, plain text on both the metrics and the pprof port", () => {
    const dev = build({ "main.fin": platform("  profiling    parca\n  monitoring   prometheus\n") + worker("  metrics 9102\n  profile pprof on 6060\n") }).get("dev")!;
    const pas = dev.filter((d) => d["kind"] === "PeerAuthentication" && d["spec"].selector);
    expect(pas.map((p) => p["metadata"].name)).toEqual(["w-metrics"]);
    expect(pas[0]!["spec"].portLevelMtls).toEqual({ "9102": { mode: "PERMISSIVE" }, "6060": { mode: "PERMISSIVE" } });
    expect(find(dev, "NetworkPolicy", "w-profiling")).toBeDefined();
    expect(app(dev, "w").spec.containers[0].ports.map((p: Obj) => `${p.name}:${p.containerPort}`)).toEqual(["metrics:9102", "pprof:6060"]);
  });

  it("without a mesh: the NetworkPolicy only", () => {
    const dev = build({ "main.fin": platform("  profiling    parca\n", "none").replace("ingress      istio", "ingress      nginx") + api("  profile pprof on 6060\n") }).get("dev")!;
    expect(dev.filter((d) => d["metadata"].name === "api-profiling").map((d) => d["kind"])).toEqual(["NetworkPolicy"]);
  });
});

describe("FIN4090 / FIN4091", () => {
  itReportsEach([
    { name: "a profile without a platform profiler", spec: platform() + api("  profile pprof on 6060\n"), code: "FIN4090", covers: "pprof on 6060", line: 11 },
    { name: "a profile naming an environment the platform does not have", spec: platform("  profiling parca\n") + api("  profile pprof on 6060 in dev qa\n"), code: "FIN4090", covers: "qa", line: 12 },
    { name: "the pprof port is the exposed port", spec: platform("  profiling parca\n") + api("  profile pprof on 8080\n"), code: "FIN4091", covers: "8080", line: 12 },
    { name: "the pprof port is one Istio's sidecar uses", spec: platform("  profiling parca\n") + api("  profile pprof on 15090\n"), code: "FIN4091", covers: "15090", line: 12 },
    { name: "the pprof port is a worker's metrics port", spec: platform("  profiling parca\n") + worker("  metrics 9102\n  profile pprof on 9102\n"), code: "FIN4091", covers: "9102", line: 11 },
  ]);
});
