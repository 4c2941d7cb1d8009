import { resourceGroupId } from "../../model/cloud-azure.js";
import { primaryRegion } from "../../model/cloud-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { ref, tf, type TfValue } from "../terraform/json.js";
import { TfBlocks } from "../terraform/module-blocks.js";
import { isoDuration, operatorRules } from "./rule-sources.js";

type Body = Record<string, TfValue>;

/** The tags every azurerm resource of finc carries (as emit/terraform/azure.ts writes them). */
const tags = (model: PlatformModel): Body => ({ "app.kubernetes.io/managed-by": "finc", "app.kubernetes.io/part-of": model.platform.name, "finc.dev/environment": model.environment });

/** Azure Monitor's alert severities: 0 critical … 4 verbose. */
const SEVERITY: Record<string, number> = { critical: 0, warning: 2 };
/** A rule group's evaluation interval must lie between PT1M and PT15M. */
const clampInterval = (d: string | undefined): string => {
  const m = d ? /^(\d+)(s|m|h)$/.exec(d) : null;
  const seconds = m ? Number(m[1]) * (m[2] === "h" ? 3600 : m[2] === "m" ? 60 : 1) : 60;
  return isoDuration(`${Math.min(15, Math.max(1, Math.round(seconds / 60)))}m`);
};

/**
 * `monitoring azure-monitor`, the Azure side (`monitoring.tf.json`): the Azure Monitor workspace
 * (named by `workspace`, else created as `<platform>-<environment>`), the data collection
 * endpoint, rule and association that send the cluster's ama-metrics scrapes into it, one
 * `azurerm_monitor_alert_prometheus_rule_group` per PrometheusRule group finc would have written
 * (same expressions, labels and annotations; `for` and intervals in ISO 8601), and, with
 * `alerting`, an action group every alert rule notifies. Azure Monitor calls webhooks with its
 * common alert schema: PagerDuty's Azure integration URL takes it; the Slack receiver must be a
 * relay that does (a Logic App or a chat bridge). Both URLs are sensitive variables, so no
 * credential is written to the output.
 */
export function azureMonitorTerraformFiles(model: PlatformModel): Map<string, Record<string, TfValue>> {
  const files = new Map<string, Record<string, TfValue>>();
  const p = model.platform;
  const m = p.monitoring;
  const location = primaryRegion(model);
  if (m?.provider !== "azure-monitor" || p.cloud !== "azure" || !p.account || !p.resourceGroup || !p.cluster || !location) return files;
  const rg = p.resourceGroup;
  const b = new TfBlocks();
  const clusterId = `${resourceGroupId(model)}/providers/Microsoft.ContainerService/managedClusters/${p.cluster}`;
  let workspaceId: TfValue;
  if (m.workspace) workspaceId = `${resourceGroupId(model)}/providers/Microsoft.Monitor/accounts/${m.workspace}`;
  else {
    b.addResource("azurerm_monitor_workspace", "platform", { name: `${p.name}-${model.environment}`.slice(0, 63), resource_group_name: rg, location, public_network_access_enabled: false, tags: tags(model) });
    workspaceId = ref("azurerm_monitor_workspace.platform.id");
  }
  // The ama-metrics addon (AKS `monitor_metrics`) sends its scrapes where this rule says.
  b.addResource("azurerm_monitor_data_collection_endpoint", "prometheus", { name: `MSProm-${location}-${p.cluster}`.slice(0, 44), resource_group_name: rg, location, kind: "Linux", tags: tags(model) });
  b.addResource("azurerm_monitor_data_collection_rule", "prometheus", {
    name: `MSProm-${location}-${p.cluster}`.slice(0, 64),
    resource_group_name: rg,
    location,
    kind: "Linux",
    data_collection_endpoint_id: ref("azurerm_monitor_data_collection_endpoint.prometheus.id"),
    destinations: [{ monitor_account: [{ monitor_account_id: workspaceId, name: "MonitoringAccount1" }] }],
    data_flow: [{ streams: ["Microsoft-PrometheusMetrics"], destinations: ["MonitoringAccount1"] }],
    data_sources: [{ prometheus_forwarder: [{ streams: ["Microsoft-PrometheusMetrics"], name: "PrometheusDataSource" }] }],
    description: `finc: the managed Prometheus metrics of AKS cluster ${p.cluster}`,
    tags: tags(model),
  });
  b.addResource("azurerm_monitor_data_collection_rule_association", "prometheus", {
    name: `MSProm-${location}-${p.cluster}`.slice(0, 64),
    target_resource_id: clusterId,
    data_collection_rule_id: ref("azurerm_monitor_data_collection_rule.prometheus.id"),
    description: "finc: the cluster's Prometheus metrics go to the platform's Azure Monitor workspace",
  });
  const receivers = p.alerting?.receivers ?? [];
  if (receivers.length) {
    const webhooks: Body[] = [];
    for (const r of receivers) {
      const variable = r.kind === "slack" ? "alerting_slack_relay_url" : "alerting_pagerduty_integration_key";
      b.variable[variable] = {
        type: "string",
        sensitive: true,
        description: r.kind === "slack"
          ? `The URL of a relay that posts Azure Monitor's common alert schema to Slack ${r.channel} (a Logic App or chat bridge; Slack's incoming webhooks do not read that schema). From the secret store: ${r.webhook.store} "${r.webhook.path}" key "${r.webhook.key}".`
          : `The integration key of the PagerDuty service's Microsoft Azure integration. From the secret store: ${r.routingKey.store} "${r.routingKey.path}" key "${r.routingKey.key}".`,
      };
      webhooks.push({
        name: r.kind,
        service_uri: r.kind === "slack" ? ref(`var.${variable}`) : tf`https://events.pagerduty.com/integration/${ref(`var.${variable}`)}/enqueue`,
        use_common_alert_schema: true,
      });
    }
    b.addResource("azurerm_monitor_action_group", "alerting", { name: `${p.name}-${model.environment}-alerts`.slice(0, 260), resource_group_name: rg, short_name: p.name.slice(0, 12), webhook_receiver: webhooks, tags: tags(model) });
  }
  for (const source of operatorRules(model)) {
    for (const g of source.groups) {
      const id = g.name.replace(/[^A-Za-z0-9_]/g, "_");
      const rules = g.rules.map((r): Body => {
        const alert = typeof r["alert"] === "string";
        const labels = (r["labels"] ?? {}) as Record<string, string>;
        return {
          ...(alert ? { alert: r["alert"] as string } : { record: r["record"] as string }),
          expression: r["expr"] as string,
          enabled: true,
          ...(r["for"] ? { for: isoDuration(r["for"] as string) } : {}),
          ...(Object.keys(labels).length ? { labels } : {}),
          ...(alert && r["annotations"] ? { annotations: r["annotations"] as Record<string, string> } : {}),
          ...(alert ? { severity: SEVERITY[labels["severity"] ?? ""] ?? 3, alert_resolution: [{ auto_resolved: true, time_to_resolve: "PT10M" }] } : {}),
          ...(alert && receivers.length ? { action: [{ action_group_id: ref("azurerm_monitor_action_group.alerting.id") }] } : {}),
        };
      });
      b.addResource("azurerm_monitor_alert_prometheus_rule_group", id, {
        name: g.name.slice(0, 260),
        resource_group_name: rg,
        location,
        cluster_name: p.cluster,
        description: `finc: ${source.namespace}/${source.name} (${model.environment})`,
        rule_group_enabled: true,
        interval: clampInterval(g.interval ?? `${m.intervalSeconds}s`),
        scopes: [workspaceId, clusterId],
        rule: rules,
        tags: tags(model),
      });
    }
  }
  files.set("monitoring.tf.json", b.file()!);
  return files;
}
