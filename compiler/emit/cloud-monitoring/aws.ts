import type { PlatformModel } from "../../model/platform-model.js";
import { labels } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { AMP_SCRAPER_USER } from "./aws-terraform.js";
import { isAlertingSecret, isOperatorKind } from "./prometheus-kinds.js";

const SCRAPER_ROLE = "aps-collector-role";

/**
 * `monitoring amazon-managed-prometheus`: Amazon Managed Service for Prometheus scrapes with its
 * managed collector (`aws_prometheus_scraper`, configured in Terraform from the same targets),
 * evaluates the rules in the workspace (`aws_prometheus_rule_group_namespace`) and routes the
 * alerts with its own Alertmanager (`aws_prometheus_alert_manager_definition`): nothing of the
 * Prometheus Operator is written to the cluster; the NetworkPolicies that admit the scraper stay.
 */
export function ampDocuments(model: PlatformModel, docs: readonly EmittedDocument[]): EmittedDocument[] {
  const kept = docs.filter((d) => !(["PodMonitor", "ServiceMonitor", "PrometheusRule", "AlertmanagerConfig"].some((k) => isOperatorKind(d, k)) || isAlertingSecret(d)));
  // The scraper needs to discover pods only where something is scraped (the observability target's metrics policies).
  const scraped = docs.some((d) => /\/networkpolicy-(.+-metrics|allow-prometheus-envoy)\.yaml$/.test(d.path));
  return scraped ? [...kept, ...scraperRbac(model)] : kept;
}

/**
 * The managed scraper discovers the pods through the Kubernetes API as `aps-collector-user` (its
 * EKS access entry, aws-terraform.ts): read access to pods, which its `role: pod` discovery
 * needs, and to nothing else (AWS's sample role also lists nodes, services, ingresses and configmaps).
 */
function scraperRbac(model: PlatformModel): EmittedDocument[] {
  const origin = model.platform.fields["monitoring"] ?? model.platform.origin;
  const meta = { name: SCRAPER_ROLE, labels: labels(model, SCRAPER_ROLE, "monitoring") };
  return [
    document(`_cluster/clusterrole-${SCRAPER_ROLE}.yaml`, { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: meta, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }] }, origin),
    document(`_cluster/clusterrolebinding-${SCRAPER_ROLE}.yaml`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: meta,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: SCRAPER_ROLE },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: AMP_SCRAPER_USER }],
    }, origin),
  ];
}
