import type { PlatformModel } from "../../model/platform-model.js";
import type { EmittedDocument } from "../output.js";
import { trivyOperatorMonitor } from "./trivy-monitor.js";
import { isAlertingSecret, isOperatorKind, kindOf, metadataOf, nameOf, namespaceOf, specOf, withObject, type Obj } from "./prometheus-kinds.js";

/** The group of the monitors the ama-metrics addon reads (Azure/prometheus-collector's CRDs). */
export const AZMONITORING_API = "azmonitoring.coreos.com/v1";

/**
 * `monitoring azure-monitor` (Azure Monitor managed service for Prometheus): the ama-metrics
 * addon reads PodMonitors and ServiceMonitors of its own group, `azmonitoring.coreos.com`,
 * with the Prometheus Operator's fields, so the monitors keep their spec and change group
 * (a service's metrics port is scraped from its pods, as GMP's, since ama-metrics carries no
 * Istio certificates). Rules and alerts live in Azure Monitor itself: the PrometheusRules
 * become `azurerm_monitor_alert_prometheus_rule_group`s (cloud-monitoring/azure-terraform.ts)
 * and the AlertmanagerConfigs action groups, so neither is written to the cluster.
 */
export function azureMonitorDocuments(model: PlatformModel, docs: readonly EmittedDocument[]): EmittedDocument[] {
  const out: EmittedDocument[] = [];
  for (const d of docs) {
    if (isOperatorKind(d, "PodMonitor") || isOperatorKind(d, "ServiceMonitor")) {
      const spec = specOf(d) as Obj;
      out.push(withObject(d, `${namespaceOf(d)}/${kindOf(d).toLowerCase()}-${nameOf(d)}.yaml`, { apiVersion: AZMONITORING_API, kind: kindOf(d), metadata: metadataOf(d), spec }));
    } else if (isOperatorKind(d, "PrometheusRule") || isOperatorKind(d, "AlertmanagerConfig") || isAlertingSecret(d)) continue;
    else out.push(d);
  }
  out.push(...trivyOperatorMonitor(model, docs, AZMONITORING_API, "PodMonitor"));
  return out;
}
