import { HOURS_PER_MONTH } from "../../model/cost/prices.js";
import type { MonitoringModel } from "../../model/observability-model.js";
import type { NamespaceModel, PlatformModel } from "../../model/platform-model.js";
import { metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { monitoringLabels } from "./scrape.js";

/**
 * The namespace's cost at the current rate, projected over a month, from OpenCost's metrics:
 * what its containers are allocated (CPU cores, memory bytes) priced at their node's hourly
 * CPU and RAM prices (node_cpu_hourly_cost, node_ram_hourly_cost per GiB), joined on the node.
 */
export function monthlyCostExpr(namespace: string): string {
  const cpu = `sum by (node) (container_cpu_allocation{namespace="${namespace}"}) * on (node) group_left () max by (node) (node_cpu_hourly_cost)`;
  const ram = `sum by (node) (container_memory_allocation_bytes{namespace="${namespace}"}) / 1073741824 * on (node) group_left () max by (node) (node_ram_hourly_cost)`;
  return `(sum(${cpu}) + sum(${ram})) * ${HOURS_PER_MONTH}`;
}

/**
 * `budget … USD/month` on a namespace, with `monitoring prometheus`: a PrometheusRule alerting at
 * each `alert` threshold when the namespace's projected monthly cost (OpenCost, an install
 * assumption) passes that share of the budget for an hour — warning below 100%, critical from it.
 */
export function budgetRuleDocuments(model: PlatformModel, m: MonitoringModel, ns: NamespaceModel): EmittedDocument[] {
  const b = ns.budget;
  if (!b) return [];
  const name = `${ns.name}-budget`;
  const rules = b.alerts.map((pct) => ({
    alert: `NamespaceBudget${pct}Percent`,
    expr: `${monthlyCostExpr(ns.name)} > ${(b.amount * pct) / 100}`,
    for: "1h",
    labels: { severity: pct >= 100 ? "critical" : "warning", namespace: ns.name },
    annotations: {
      summary: `${ns.name} is on course to spend ${pct}% of its ${b.amount} USD monthly budget`,
      description: `At the current allocation, OpenCost prices the namespace ${ns.name} at {{ $value | humanize }} USD a month, more than ${pct}% of its budget of ${b.amount} USD (finc spec: budget). Run finc cost to see what its workloads cost at their minimum and maximum replicas.`,
    },
  }));
  return [
    document(`${ns.name}/prometheusrule-${name}.yaml`, {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: metadata(name, ns.name, monitoringLabels(model, m, name, "cost-alerts")),
      spec: { groups: [{ name: `${ns.name}.budget`, rules }] },
    }, b.origin),
  ];
}
