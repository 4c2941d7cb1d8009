import { describe, expect, it } from "vitest";
import YAML from "yaml";
import type { EmittedDocument } from "../../compiler/emit/output.js";
import { compileSources } from "../helpers/compile.js";
import { module, terraformFiles } from "../terraform/support.js";
import { documents, find, gcpSpec, type Json, schemaProblems } from "./cloud-support.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

/**
 * `monitoring managed-prometheus` (Google Cloud Managed Service for Prometheus, GMP): the
 * Prometheus Operator's objects become GMP's — PodMonitoring for every scrape, namespaced Rules
 * with the PrometheusRule's groups, the managed Alertmanager's Secret rendered by ESO — and the
 * metrics ports admit GMP's collector pods (gmp-system, `app.kubernetes.io/name: collector`).
 */
const kinds = (docs: EmittedDocument[]) => docs.map((d) => `${String(d.object["apiVersion"]).split("/")[0]} ${d.object["kind"]}`);

describe("monitoring managed-prometheus (GMP)", () => {
  const docs = documents(gcpSpec("managed-prometheus interval 15s"));

  it.skipIf(!schemasAvailable)("every document validates against its upstream schema (the vendored CRD schemas for GMP PodMonitoring, Rules, ClusterRules)", () => {
    expect(schemaProblems(docs, validateManifest)).toEqual([]);
  });

  it("writes nothing of the Prometheus Operator: no ServiceMonitor, PodMonitor, PrometheusRule or AlertmanagerConfig", () => {
    expect(kinds(docs).filter((k) => k.startsWith("monitoring.coreos.com"))).toEqual([]);
  });

  it("a service's metrics port is a PodMonitoring of its pods (GMP has no ServiceMonitor), without the operator's release label", () => {
    const pm = find(docs, "PodMonitoring", "api");
    expect(pm["apiVersion"]).toBe("monitoring.googleapis.com/v1");
    expect(pm["metadata"].labels.release).toBeUndefined();
    // The SLO queries select `service`, which a ServiceMonitor would have set: GMP takes it from the pods' name label.
    expect(pm["spec"]).toEqual({ selector: { matchLabels: { "app.kubernetes.io/name": "api" } }, endpoints: [{ port: "metrics", path: "/metrics", interval: "15s", timeout: "10s" }], targetLabels: { fromPod: [{ from: "app.kubernetes.io/name", to: "service" }] } });
    expect(find(docs, "PodMonitoring", "consumer")["spec"]).toEqual({ selector: { matchLabels: { "app.kubernetes.io/name": "consumer" } }, endpoints: [{ port: "metrics", path: "/metrics", interval: "15s", timeout: "10s" }] });
  });

  it("the Envoy proxies' request metrics are a PodMonitoring keeping only the istio_* series", () => {
    const pm = find(docs, "PodMonitoring", "istio-proxies");
    expect(pm["spec"].selector).toEqual({ matchExpressions: [{ key: "security.istio.io/tlsMode", operator: "Exists" }] });
    expect(pm["spec"].endpoints).toEqual([{ port: "http-envoy-prom", path: "/stats/prometheus", interval: "15s", metricRelabeling: [{ sourceLabels: ["__name__"], action: "keep", regex: "istio_(requests_total|request_duration_milliseconds_(bucket|count|sum)|tcp_.*)" }] }]);
  });

  it("the metrics port and Envoy's 15090 admit GMP's collector pods in gmp-system, and only them", () => {
    const collector = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gmp-system" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "collector" } } };
    expect(find(docs, "NetworkPolicy", "api-metrics")["spec"].ingress).toEqual([{ from: [collector], ports: [{ protocol: "TCP", port: 9102 }] }]);
    expect(find(docs, "NetworkPolicy", "allow-prometheus-envoy")["spec"].ingress).toEqual([{ from: [collector], ports: [{ protocol: "TCP", port: 15090 }] }]);
  });

  it("under sidecars the collector (no Istio certificates) scrapes in plain text: PERMISSIVE on the metrics port alone, GET /metrics only", () => {
    const pa = find(docs, "PeerAuthentication", "api-metrics");
    expect(pa["spec"]).toEqual({ selector: { matchLabels: { "app.kubernetes.io/name": "api" } }, mtls: { mode: "STRICT" }, portLevelMtls: { "9102": { mode: "PERMISSIVE" } } });
    expect(find(docs, "AuthorizationPolicy", "api-metrics")["spec"].rules).toEqual([{ to: [{ operation: { ports: ["9102"], methods: ["GET"], paths: ["/metrics"] } }] }]);
  });

  it("in the ambient mesh the collector's identity (gmp-system/collector, its namespace enrolled) is what the AuthorizationPolicy admits", () => {
    const ambient = documents(gcpSpec("managed-prometheus", "mesh istio ambient"));
    expect(find(ambient, "AuthorizationPolicy", "api-metrics")["spec"].rules).toEqual([{ from: [{ source: { principals: ["cluster.local/ns/gmp-system/sa/collector"] } }], to: [{ operation: { ports: ["9102"] } }] }]);
    expect(ambient.some((d) => d.object["kind"] === "PeerAuthentication" && (d.object["metadata"] as Json)["name"] === "api-metrics")).toBe(false);
  });

  it("the SLO is a namespaced Rules with exactly the PrometheusRule's groups and expressions (GMP requires each group's interval)", () => {
    const rules = find(docs, "Rules", "api-slo");
    expect(rules["apiVersion"]).toBe("monitoring.googleapis.com/v1");
    const operator = find(documents(gcpSpec("prometheus interval 15s")), "PrometheusRule", "api-slo");
    expect(rules["spec"].groups.map((g: Json) => g["name"])).toEqual(["shop.api.slo-sli", "shop.api.slo-budget", "shop.api.slo-alerts"]);
    expect(rules["spec"].groups.map((g: Json) => g["interval"])).toEqual(["15s", "5m", "15s"]);
    expect(rules["spec"].groups.map((g: Json) => g["rules"])).toEqual(operator["spec"].groups.map((g: Json) => g["rules"]));
    const alert = rules["spec"].groups[2].rules.find((r: Json) => r["alert"] === "ApiAvailabilityBudgetBurn" && r["labels"].severity === "critical");
    expect(alert.expr).toContain('slo:sli_error:ratio_rate1h{namespace="shop",service="api",slo="availability"} > (14.4 * 0.001)');
  });

  it("alerting: GMP's managed Alertmanager reads gmp-public/alertmanager, rendered by ESO from the store (no credential in the output)", () => {
    expect(docs.filter((d) => d.object["kind"] === "ExternalSecret" && (d.object["metadata"] as Json)["namespace"] === "shop" && /alerting/.test(d.path))).toEqual([]);
    const es = find(docs, "ExternalSecret", "alertmanager", "gmp-public");
    expect(es["spec"].secretStoreRef).toEqual({ kind: "ClusterSecretStore", name: "vault" });
    // The store serves the platform's namespaces and, for this Secret alone, gmp-public.
    const store = docs.find((d) => d.object["kind"] === "ClusterSecretStore")!.object as Json;
    expect(store["spec"].conditions).toEqual([{ namespaces: ["gmp-public", "shop"] }]);
    expect(es["spec"].data).toEqual([
      { secretKey: "slack_webhook_url", remoteRef: { key: "monitoring/slack", property: "webhook-url" } },
      { secretKey: "pagerduty_routing_key", remoteRef: { key: "monitoring/pagerduty", property: "routing-key" } },
    ]);
    const template: string = es["spec"].target.template.data["alertmanager.yaml"];
    // What ESO renders: its placeholders filled, Alertmanager's own templates passed through as raw strings.
    const rendered = template.replace("{{ .slack_webhook_url }}", "https://hooks.slack.com/services/X").replace("{{ .pagerduty_routing_key }}", "R0UT1NG").replace(/\{\{`(.*?)`\}\}/g, "$1");
    const config = YAML.parse(rendered) as Json;
    expect(config["route"].routes).toEqual([{ receiver: "pagerduty", matchers: ['severity="critical"'], continue: true }, { receiver: "slack", matchers: ['severity=~"critical|warning"'] }]);
    expect(config["receivers"][0].slack_configs[0]).toMatchObject({ api_url: "https://hooks.slack.com/services/X", channel: "#shop-oncall", title: expect.stringContaining("{{ .CommonLabels.alertname }}") });
    expect(config["receivers"][1].pagerduty_configs[0]).toMatchObject({ routing_key: "R0UT1NG", severity: "{{ .CommonLabels.severity }}" });
    expect(config["inhibit_rules"]).toEqual([{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["namespace", "service", "slo"] }]);
  });
});

describe("monitoring managed-prometheus: rules that read other namespaces' exporters", () => {
  const spec = gcpSpec("managed-prometheus").replace("namespace shop {}", "namespace shop {\n  budget 1000 USD/month\n}").replace("  environments dev\n", "  environments dev\n  scanning trivy\n  billing-account \"01A2B3-C4D5E6-F7A8B9\"\n");
  const docs = documents(spec, ["kubernetes", "istio", "observability", "supply-chain"]);

  it("the budget (OpenCost's node prices) and the vulnerability alerts (Trivy's per-workload namespace) are ClusterRules: a namespaced Rules sees only its namespace's series", () => {
    const budget = docs.find((d) => d.object["kind"] === "ClusterRules" && (d.object["metadata"] as Json)["name"] === "shop-budget")!;
    expect(budget.path).toBe("_cluster/clusterrules-shop-budget.yaml");
    expect((budget.object["metadata"] as Json)["namespace"]).toBeUndefined();
    expect(((budget.object["spec"] as Json)["groups"] as Json[])[0]!["rules"][0].expr).toContain('container_cpu_allocation{namespace="shop"}');
    const trivy = docs.find((d) => d.object["kind"] === "ClusterRules" && (d.object["metadata"] as Json)["name"] === "trivy-system-finc-vulnerabilities");
    expect(trivy, "the vulnerability ClusterRules").toBeDefined();
    expect(docs.some((d) => d.object["kind"] === "Rules" && /budget|vulnerab/.test(d.path))).toBe(false);
    // The operator's chart ServiceMonitor is the Prometheus Operator's kind: GMP scrapes it through a PodMonitoring of its own.
    expect(find(docs, "PodMonitoring", "trivy-operator", "trivy-system")["spec"]).toEqual({ selector: { matchLabels: { "app.kubernetes.io/name": "trivy-operator" } }, endpoints: [{ port: "metrics", path: "/metrics", interval: "30s" }] });
  });
});

describe("monitoring managed-prometheus: the Terraform side (monitoring.tf.json)", () => {
  const files = terraformFiles(compileSources({ "main.fin": gcpSpec("managed-prometheus") }), ["dev"]);
  const m = module(files, "dev");

  it("reads the GKE cluster (finc does not own it) and fails the plan unless managed collection is on", () => {
    const cluster = ((m.data as Json)["google_container_cluster"] as Json)["monitoring"] as Json;
    expect(cluster).toMatchObject({ project: "proj-1", name: "gke-1", location: "europe-west1" });
    const post = (cluster["lifecycle"] as Json[])[0]!["postcondition"] as Json[];
    expect(post[0]!["condition"]).toBe("${length(self.monitoring_config) > 0 && length(self.monitoring_config[0].managed_prometheus) > 0 && self.monitoring_config[0].managed_prometheus[0].enabled}");
    expect(post[0]!["error_message"]).toContain("monitoring_config { managed_prometheus { enabled = true } }");
  });

  it("the rule evaluator (gmp-system/collector) reads metrics through Workload Identity with roles/monitoring.viewer alone", () => {
    const r = m.resource as Record<string, Record<string, Json>>;
    expect(r["google_project_iam_member"]!["gmp_rule_evaluator"]).toEqual({ project: "proj-1", role: "roles/monitoring.viewer", member: "serviceAccount:${google_service_account.gmp_rule_evaluator.email}" });
    expect(r["google_service_account_iam_member"]!["gmp_rule_evaluator"]).toMatchObject({ role: "roles/iam.workloadIdentityUser", member: "serviceAccount:proj-1.svc.id.goog[gmp-system/collector]" });
    expect(files.has("terraform/dev/monitoring.tf.json")).toBe(true);
  });

  it("nothing of it with the in-cluster Prometheus", () => {
    expect(terraformFiles(compileSources({ "main.fin": gcpSpec("prometheus") }), ["dev"]).has("terraform/dev/monitoring.tf.json")).toBe(false);
  });
});
