import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { module, terraformFiles, type Json } from "../terraform/support.js";
import { documents, find, schemaProblems } from "./cloud-support.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

/**
 * `monitoring azure-monitor` (Azure Monitor managed service for Prometheus): in the cluster, the
 * monitors the ama-metrics addon reads (`azmonitoring.coreos.com/v1`) and NetworkPolicies that
 * admit its pods (kube-system, `rsName: ama-metrics`); in Terraform, the workspace and the data
 * collection rule for the cluster, one Prometheus rule group per PrometheusRule group (the same
 * expressions), and an action group for `alerting`.
 */
const spec = (monitoring: string, mesh = "mesh istio sidecar cni") => `platform p {
  cloud azure
  regions westeurope primary
  account "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
  tenant "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"
  resource-group "rg-shop"
  cluster "aks-shop"
  environments dev
  ${mesh}
  monitoring ${monitoring}
  alerting slack "#shop-oncall" from vault "monitoring/slack" key "webhook-url", pagerduty from vault "monitoring/pagerduty" key "routing-key"
}
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
`;

describe("monitoring azure-monitor: the cluster side", () => {
  const docs = documents(spec("azure-monitor interval 30s"));

  it.skipIf(!schemasAvailable)("every document validates against its upstream schema (the vendored CRD schemas for azmonitoring.coreos.com PodMonitor)", () => {
    expect(schemaProblems(docs, validateManifest)).toEqual([]);
  });

  it("the monitors are ama-metrics' own group; no PrometheusRule, AlertmanagerConfig or alerting Secret is written to the cluster", () => {
    expect(docs.filter((d) => String(d.object["apiVersion"]).startsWith("monitoring.coreos.com"))).toEqual([]);
    expect(docs.filter((d) => d.object["kind"] === "ExternalSecret" && /alerting/.test(d.path))).toEqual([]);
    const pm = find(docs, "PodMonitor", "api");
    expect(pm["apiVersion"]).toBe("azmonitoring.coreos.com/v1");
    expect(pm["spec"]).toEqual({ selector: { matchLabels: { "app.kubernetes.io/name": "api" } }, podMetricsEndpoints: [{ port: "metrics", path: "/metrics", interval: "30s", scrapeTimeout: "10s", relabelings: [{ sourceLabels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], targetLabel: "service" }] }] });
    expect(find(docs, "PodMonitor", "istio-proxies")["apiVersion"]).toBe("azmonitoring.coreos.com/v1");
  });

  it("the metrics port admits the ama-metrics pods in kube-system, in plain text under sidecars (the addon has no Istio certificates)", () => {
    const ama = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { rsName: "ama-metrics" } } };
    expect(find(docs, "NetworkPolicy", "api-metrics")["spec"].ingress).toEqual([{ from: [ama], ports: [{ protocol: "TCP", port: 9102 }] }]);
    expect(find(docs, "PeerAuthentication", "api-metrics")["spec"].portLevelMtls).toEqual({ "9102": { mode: "PERMISSIVE" } });
    // Under ambient ztunnel would refuse the plain-text scrape, and Istio does not enroll kube-system: FIN4098.
    expect(diagnosticsOf({ "main.fin": spec("azure-monitor", "mesh istio ambient") })).toContainEqual({ code: "FIN4098", text: "azure-monitor", line: 10 });
  });
});

describe("monitoring azure-monitor: the Terraform side", () => {
  const tf = (monitoring: string) => module(terraformFiles(compileSources({ "main.fin": spec(monitoring) }), ["dev"]), "dev");
  const created = tf("azure-monitor");
  const res = (m: ReturnType<typeof tf>, type: string) => (m.resource as Json)[type] as Record<string, Json>;

  it("creates the workspace (or uses the named one) and sends the cluster's managed Prometheus metrics into it", () => {
    expect(res(created, "azurerm_monitor_workspace")["platform"]).toMatchObject({ name: "p-dev", resource_group_name: "rg-shop", location: "westeurope", public_network_access_enabled: false });
    const dcr = res(created, "azurerm_monitor_data_collection_rule")["prometheus"]!;
    expect(dcr["destinations"]).toEqual([{ monitor_account: [{ monitor_account_id: "${azurerm_monitor_workspace.platform.id}", name: "MonitoringAccount1" }] }]);
    expect(dcr["data_flow"]).toEqual([{ streams: ["Microsoft-PrometheusMetrics"], destinations: ["MonitoringAccount1"] }]);
    expect(res(created, "azurerm_monitor_data_collection_rule_association")["prometheus"]!["target_resource_id"]).toBe("/subscriptions/6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop");
    const named = tf('azure-monitor workspace "amw-bank"');
    expect(res(named, "azurerm_monitor_workspace")).toBeUndefined();
    expect(res(named, "azurerm_monitor_data_collection_rule")["prometheus"]!["destinations"]).toEqual([{ monitor_account: [{ monitor_account_id: "/subscriptions/6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f/resourceGroups/rg-shop/providers/Microsoft.Monitor/accounts/amw-bank", name: "MonitoringAccount1" }] }]);
  });

  it("each PrometheusRule group is a rule group with the same expressions, scoped to the workspace and the cluster", () => {
    const groups = res(created, "azurerm_monitor_alert_prometheus_rule_group");
    expect(Object.keys(groups).sort()).toEqual(["shop_api_slo_alerts", "shop_api_slo_budget", "shop_api_slo_sli"]);
    const operator = find(documents(spec("prometheus interval 30s")), "PrometheusRule", "api-slo");
    const byName = Object.fromEntries(operator["spec"].groups.map((g: Json) => [g["name"], g["rules"]]));
    for (const g of Object.values(groups)) {
      expect(g["scopes"]).toEqual(["${azurerm_monitor_workspace.platform.id}", "/subscriptions/6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop"]);
      expect(g["cluster_name"]).toBe("aks-shop");
      expect((g["rule"] as Json[]).map((r) => r["expression"])).toEqual((byName[g["name"] as string] as Json[]).map((r) => r["expr"]));
    }
    expect(groups["shop_api_slo_budget"]!["interval"]).toBe("PT5M");
    expect(groups["shop_api_slo_sli"]!["interval"]).toBe("PT1M");
    const page = (groups["shop_api_slo_alerts"]!["rule"] as Json[]).find((r) => r["alert"] === "ApiAvailabilityBudgetBurn" && (r["labels"] as Json)["severity"] === "critical")!;
    expect(page).toMatchObject({ severity: 0, action: [{ action_group_id: "${azurerm_monitor_action_group.alerting.id}" }] });
    const record = (groups["shop_api_slo_sli"]!["rule"] as Json[])[0]!;
    expect(record).toMatchObject({ record: "slo:sli_error:ratio_rate5m", labels: { namespace: "shop", service: "api", slo: "availability" } });
    expect(record["action"]).toBeUndefined();
  });

  it("alerting is an action group calling PagerDuty's Azure integration and a Slack relay, both from sensitive variables", () => {
    const ag = res(created, "azurerm_monitor_action_group")["alerting"]!;
    expect(ag["webhook_receiver"]).toEqual([
      { name: "slack", service_uri: "${var.alerting_slack_relay_url}", use_common_alert_schema: true },
      { name: "pagerduty", service_uri: "https://events.pagerduty.com/integration/${var.alerting_pagerduty_integration_key}/enqueue", use_common_alert_schema: true },
    ]);
    expect((created.variable as Json)["alerting_pagerduty_integration_key"]).toMatchObject({ type: "string", sensitive: true });
  });
});
