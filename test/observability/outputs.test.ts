import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import YAML from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { observabilityEmitter } from "../../compiler/emit/observability/index.js";
import type { EmittedDocument } from "../../compiler/emit/output.js";
import { compileSources, REPO } from "../helpers/compile.js";
import { installedToolCopy } from "../helpers/tool-install.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";
import { tempDir } from "../kustomize/support.js";
import { k8sValidate, k8sValidateAvailable } from "../secrets/k8s-validate.js";

const platform = (mesh: string, extra = "") => `platform p {
  environments dev
${mesh}
  monitoring prometheus interval 15s
  alerting slack "#shop-oncall" from vault "monitoring/slack" key "webhook-url", pagerduty from vault "monitoring/pagerduty" key "routing-key"
${extra}}
secretstore vault {
  provider vault
  server "https://vault.example.com"
}
namespace shop {}
service api {
  image "r.io/api:1.0.0"
  port http 8080, metrics 9102
  slo availability 99.9%, latency p99 250ms
}
service worker {
  image "r.io/worker:1.0.0"
  port grpc 9090
  slo availability 99.5%, window 7d
}
`;
const SIDECAR = platform("  mesh istio sidecar cni");
const AMBIENT = platform("  mesh istio ambient");
const NO_MESH = platform("").replace("  port grpc 9090\n  slo availability 99.5%, window 7d\n", "  port grpc 9090, metrics 9102\n  slo availability 99.5%, window 7d\n");

function emit(spec: string): EmittedDocument[] {
  const p = compileSources({ "main.fin": spec });
  expect(p.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return observabilityEmitter.emit(p.checked.models.get("dev")!).documents;
}
const find = (docs: EmittedDocument[], kind: string, name: string) => {
  const d = docs.find((x) => x.object["kind"] === kind && (x.object["metadata"] as { name: string }).name === name);
  expect(d, `${kind} ${name}`).toBeDefined();
  return d!.object as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe("observability outputs", () => {
  it("emits nothing without `monitoring prometheus`", () => {
    const p = compileSources({ "main.fin": 'platform p {\n  environments dev\n  mesh istio sidecar cni\n}\nnamespace a {}\nservice s {\n  image "r.io/s:1"\n  port http 8080, metrics 9102\n}\n' });
    expect(observabilityEmitter.emit(p.checked.models.get("dev")!).documents).toEqual([]);
  });

  it("a metrics port gets a ServiceMonitor and is opened to the Prometheus pods only, by NetworkPolicy and (mesh) by identity", () => {
    const docs = emit(SIDECAR);
    const sm = find(docs, "ServiceMonitor", "api");
    expect(sm["metadata"].labels.release).toBe("kube-prometheus-stack");
    expect(sm["spec"].selector).toEqual({ matchLabels: { "app.kubernetes.io/name": "api" } });
    expect(sm["spec"].endpoints[0]).toMatchObject({ port: "metrics", interval: "15s", scheme: "https", tlsConfig: { certFile: "/etc/prom-certs/cert-chain.pem" } });
    const np = find(docs, "NetworkPolicy", "api-metrics");
    expect(np["spec"].ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }],
      ports: [{ protocol: "TCP", port: 9102 }],
    }]);
    const ap = find(docs, "AuthorizationPolicy", "api-metrics");
    expect(ap["spec"].rules).toEqual([{ from: [{ source: { principals: ["cluster.local/ns/monitoring/sa/kube-prometheus-stack-prometheus"] } }], to: [{ operation: { ports: ["9102"], methods: ["GET"], paths: ["/metrics"] } }] }]);
    // The worker has no metrics port: no ServiceMonitor; its SLO reads the sidecars' metrics.
    expect(docs.some((d) => d.object["kind"] === "ServiceMonitor" && (d.object["metadata"] as { name: string }).name === "worker")).toBe(false);
    expect(find(docs, "PodMonitor", "istio-proxies")["spec"].podMetricsEndpoints[0]).toMatchObject({ port: "http-envoy-prom", path: "/stats/prometheus" });
    expect(find(docs, "NetworkPolicy", "allow-prometheus-envoy")["spec"].ingress[0].ports).toEqual([{ protocol: "TCP", port: 15090 }]);
  });

  it("ambient: plain scraping through ztunnel, an L4-only policy, and the waypoint's metrics", () => {
    const docs = emit(AMBIENT);
    expect(find(docs, "ServiceMonitor", "api")["spec"].endpoints[0].scheme).toBeUndefined();
    expect(find(docs, "AuthorizationPolicy", "api-metrics")["spec"].rules[0].to).toEqual([{ operation: { ports: ["9102"] } }]);
    expect(find(docs, "PodMonitor", "istio-proxies")["spec"].selector).toEqual({ matchLabels: { "gateway.networking.k8s.io/gateway-name": "waypoint" } });
    expect(JSON.stringify(find(docs, "PrometheusRule", "api-slo"))).toContain('reporter=\\"waypoint\\"');
  });

  it("an SLO becomes recording rules per window and multi-window burn-rate alerts (14.4×/6× page, 3×/1× ticket)", () => {
    const rule = find(emit(SIDECAR), "PrometheusRule", "api-slo");
    const [sli, budget, alerts] = rule["spec"].groups as { name: string; rules: Record<string, any>[] }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(sli!.rules.map((r) => `${r["labels"].slo} ${r["record"]}`)).toEqual(
      ["availability", "latency"].flatMap((slo) => ["5m", "30m", "1h", "2h", "6h", "1d", "3d"].map((w) => `${slo} slo:sli_error:ratio_rate${w}`)),
    );
    expect(sli!.rules[0]!["expr"]).toBe(
      'sum(rate(istio_requests_total{reporter="destination",destination_service_namespace="shop",destination_service_name="api",response_code=~"5.."}[5m])) / sum(rate(istio_requests_total{reporter="destination",destination_service_namespace="shop",destination_service_name="api"}[5m]))',
    );
    expect(sli!.rules[7]!["expr"]).toContain('istio_request_duration_milliseconds_bucket{reporter="destination",destination_service_namespace="shop",destination_service_name="api",le="250"}[5m]');
    expect(budget!.rules.find((r) => r["record"] === "slo:sli_error:ratio_rate30d")!["expr"]).toBe('avg_over_time(slo:sli_error:ratio_rate5m{namespace="shop",service="api",slo="availability"}[30d])');
    const page = alerts!.rules[0]!;
    expect(page["alert"]).toBe("ApiAvailabilityBudgetBurn");
    expect(page["labels"]).toEqual({ severity: "critical", slo: "availability" });
    expect(page["expr"]).toBe(
      '(slo:sli_error:ratio_rate1h{namespace="shop",service="api",slo="availability"} > (14.4 * 0.001) and slo:sli_error:ratio_rate5m{namespace="shop",service="api",slo="availability"} > (14.4 * 0.001))' +
        ' or (slo:sli_error:ratio_rate6h{namespace="shop",service="api",slo="availability"} > (6 * 0.001) and slo:sli_error:ratio_rate30m{namespace="shop",service="api",slo="availability"} > (6 * 0.001))',
    );
    expect(Object.keys(page["annotations"])).toEqual(["summary", "description", "runbook"]);
    const ticket = alerts!.rules[1]!;
    expect(ticket["labels"].severity).toBe("warning");
    for (const part of ["ratio_rate1d{", "ratio_rate2h{", "> (3 * 0.001)", "ratio_rate3d{", "ratio_rate6h{", "> (1 * 0.001)"]) expect(ticket["expr"]).toContain(part);
  });

  it("gRPC services burn the budget on server-side gRPC codes; without the mesh the service's own http_* metrics are used", () => {
    const worker = JSON.stringify(find(emit(SIDECAR), "PrometheusRule", "worker-slo"));
    expect(worker).toContain('grpc_response_status=~\\"2|4|12|13|14|15\\"');
    expect(worker).toContain("[7d]");
    const plain = JSON.stringify(find(emit(NO_MESH), "PrometheusRule", "api-slo"));
    expect(plain).toContain('http_requests_total{namespace=\\"shop\\",service=\\"api\\",code=~\\"5..\\"}[5m]');
    expect(plain).toContain('http_request_duration_seconds_bucket{namespace=\\"shop\\",service=\\"api\\",le=\\"0.25\\"}');
    expect(plain).not.toContain("istio_");
  });

  it("alerts page on PagerDuty and ticket on Slack, with credentials only from the secret store", () => {
    const docs = emit(SIDECAR);
    const amc = find(docs, "AlertmanagerConfig", "p");
    expect(amc["spec"].route.receiver).toBe("slack");
    expect(amc["spec"].route.routes).toEqual([
      { receiver: "pagerduty", matchers: [{ name: "severity", value: "critical", matchType: "=" }], continue: true },
      { receiver: "slack", matchers: [{ name: "severity", value: "critical|warning", matchType: "=~" }] },
    ]);
    expect(amc["spec"].receivers[0].slackConfigs[0].apiURL).toEqual({ name: "alerting-slack", key: "webhook-url" });
    expect(amc["spec"].receivers[1].pagerdutyConfigs[0].routingKey).toEqual({ name: "alerting-pagerduty", key: "routing-key" });
    expect(find(docs, "ExternalSecret", "alerting-pagerduty")["spec"].data).toEqual([{ secretKey: "routing-key", remoteRef: { key: "monitoring/pagerduty", property: "routing-key" } }]);
    expect(docs.some((d) => d.object["kind"] === "Secret")).toBe(false);
  });

  it("one Grafana dashboard per service: deterministic JSON the sidecar picks up", () => {
    const a = find(emit(SIDECAR), "ConfigMap", "api-dashboard");
    const b = find(emit(SIDECAR), "ConfigMap", "api-dashboard");
    expect(a).toEqual(b);
    expect(a["metadata"].labels.grafana_dashboard).toBe("1");
    const json = JSON.parse(a["data"]["shop-api.json"] as string) as { uid: string; panels: { title: string }[] };
    expect(json.uid).toBe("finc-shop-api");
    expect(json.panels.map((p) => p.title)).toEqual([
      "Request rate", "Error ratio", "Latency",
      "SLO availability: burn rate (99.9% of requests succeed)", "SLO availability: error budget remaining (30d)",
      "SLO latency: burn rate (99% of requests finish within 250ms)", "SLO latency: error budget remaining (30d)",
    ]);
  });

  it.skipIf(!schemasAvailable)("every document validates against its schema (CRDs of prometheus-operator v0.89, Istio, ESO)", () => {
    for (const spec of [SIDECAR, AMBIENT, NO_MESH])
      for (const d of emit(spec)) expect(validateManifest(d.object as { apiVersion: string; kind: string }), d.path).toEqual([]);
  });
});

/** The independent tools, on a whole build: k8s-validate, policy-check --strict, and promtool on every rule group. */
describe("observability outputs pass the independent tools", () => {
  let dir = "";
  beforeAll(() => {
    dir = tempDir("finc-observability");
    for (const [name, spec] of [["sidecar", SIDECAR], ["ambient", AMBIENT], ["plain", NO_MESH]] as const) {
      for (const f of buildOutputs(compileSources({ "main.fin": spec })).files) {
        mkdirSync(dirname(join(dir, name, f.path)), { recursive: true });
        writeFileSync(join(dir, name, f.path), f.content);
      }
    }
  });

  it.skipIf(!k8sValidateAvailable())("k8s-validate: every document valid, none of unknown kind", { timeout: 120_000 }, () => {
    const r = k8sValidate([dir]);
    expect(r.results.filter((x) => x.status !== "OK").map((x) => `${x.file} ${x.status}`)).toEqual([]);
    expect(r.ok).toBe(true);
  });

  const POLICY = resolve(REPO, "../shared/tools/policy-check");
  it.skipIf(!existsSync(POLICY))("policy-check --strict (Polaris dangers, PSS restricted)", { timeout: 120_000 }, () => {
    // One install per content of the tool, shared across test files (tool-install.ts).
    const tool = installedToolCopy(POLICY, ["install", "--no-audit", "--no-fund", "--silent"]);
    const r = spawnSync("node", [join(tool, "check.mjs"), "--strict", "--polaris-dir", resolve(REPO, "../shared/policy/polaris"), dir], { encoding: "utf8" });
    expect(r.status, r.stdout.slice(-2000)).toBe(0);
  });

  const promtool = spawnSync("promtool", ["--version"]).status === 0;
  // promtool comes from Debian's `prometheus` package (.ci/run installs it); without it this test says so and skips.
  it.skipIf(!promtool)("promtool check rules accepts every PrometheusRule's groups", () => {
    const rules = ["sidecar", "ambient", "plain"].flatMap((name) =>
      buildOutputs(compileSources({ "main.fin": { sidecar: SIDECAR, ambient: AMBIENT, plain: NO_MESH }[name]! })).files.filter((f) => f.path.includes("prometheusrule-")).map((f) => ({ name, f })),
    );
    expect(rules.length).toBe(6);
    for (const { name, f } of rules) {
      const spec = (YAML.parse(f.content) as { spec: unknown }).spec;
      const file = join(dir, `${name}-${f.path.replace(/\//g, "_")}.rules.yaml`);
      writeFileSync(file, YAML.stringify(spec));
      const r = spawnSync("promtool", ["check", "rules", file], { encoding: "utf8" });
      expect(r.status, r.stdout + r.stderr).toBe(0);
    }
  });
  if (!promtool) it.skip("promtool is not installed (apt-get install prometheus): the rule groups were not checked", () => {});
});
