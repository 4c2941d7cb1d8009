import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import { scraperPeers } from "../../model/cloud-monitoring.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";

/** Where the CloudNativePG operator runs (its Helm chart's and manifest's defaults). */
export const CNPG_OPERATOR = { namespace: "cnpg-system", labels: { "app.kubernetes.io/name": "cloudnative-pg" } } as const;
/** The instance manager's status endpoint, which the operator polls. */
export const CNPG_STATUS_PORT = 8000;
/** The instance manager's Prometheus exporter. */
export const CNPG_METRICS_PORT = 9187;

const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: "TCP", port }));

/**
 * What a CloudNativePG cluster needs past the namespace's default deny, besides its callers
 * (those come from the call graph, network-policy.ts): the operator reaches every instance's
 * status and PostgreSQL ports; instances reach each other (streaming replication, and the
 * replicas' pg_basebackup when they join); Prometheus reaches the exporter; instances and the
 * operator's Jobs reach the Kubernetes API server (the instance manager watches its Cluster and
 * Secrets) and, with backups, S3 — neither has a pod selector, and NetworkPolicy cannot name a
 * host, so both are TCP 443/6443 to any address.
 */
export function clusterNetworkPolicy(model: PlatformModel, db: DatabaseModel): EmittedDocument {
  const cluster = { podSelector: { matchLabels: { "cnpg.io/cluster": db.name } } };
  const operator = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": CNPG_OPERATOR.namespace } }, podSelector: { matchLabels: { ...CNPG_OPERATOR.labels } } };
  const m = model.platform.monitoring;
  const ingress: Record<string, unknown>[] = [
    { from: [operator], ports: tcp(CNPG_STATUS_PORT, db.port) },
    { from: [cluster], ports: tcp(db.port, CNPG_STATUS_PORT) },
  ];
  if (m) ingress.push({ from: scraperPeers(m, { "app.kubernetes.io/name": "prometheus" }), ports: tcp(CNPG_METRICS_PORT) });
  const name = `${db.name}-cnpg`;
  return document(`${db.namespace}/networkpolicy-${name}.yaml`, {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: metadata(name, db.namespace, labels(model, db.name, "network-policy")),
    spec: {
      podSelector: cluster.podSelector,
      policyTypes: ["Ingress", "Egress"],
      ingress,
      egress: [
        { to: [cluster], ports: tcp(db.port, CNPG_STATUS_PORT) },
        { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(443, 6443) },
      ],
    },
  }, db.origin);
}
