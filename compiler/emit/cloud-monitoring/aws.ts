import type { EmittedDocument } from "../output.js";
import { isAlertingSecret, isOperatorKind } from "./prometheus-kinds.js";

/**
 * `monitoring amazon-managed-prometheus`: Amazon Managed Service for Prometheus scrapes with its
 * managed collector (`aws_prometheus_scraper`, configured in Terraform from the same targets),
 * evaluates the rules in the workspace (`aws_prometheus_rule_group_namespace`) and routes the
 * alerts with its own Alertmanager (`aws_prometheus_alert_manager_definition`): nothing of the
 * Prometheus Operator is written to the cluster; the NetworkPolicies that admit the scraper stay.
 */
export function ampDocuments(docs: readonly EmittedDocument[]): EmittedDocument[] {
  return docs.filter((d) => !(["PodMonitor", "ServiceMonitor", "PrometheusRule", "AlertmanagerConfig"].some((k) => isOperatorKind(d, k)) || isAlertingSecret(d)));
}
