import type { MonitoringProvider } from "../semantic/schema/observability-fields.js";
import type { MonitoringModel } from "./observability-model.js";
import { PRIVATE_RANGES } from "./service-exposure.js";

/**
 * The cloud's managed Prometheus (issue 14, item 2): which cloud each choice belongs to, and
 * the in-cluster collector that scrapes the `metrics` ports (the NetworkPolicy peer and, in the
 * ambient mesh, the principal). The collectors' namespaces, service accounts and pod labels are
 * the ones their upstream manifests give them: GoogleCloudPlatform/prometheus-engine's
 * `collector` DaemonSet, Azure/prometheus-collector's `ama-metrics` Deployment (the replica set
 * that reads the azmonitoring.coreos.com monitors). Amazon's managed scraper runs outside the
 * cluster (in the VPC), so it has no pods to name.
 */
export interface ManagedCollector {
  readonly cloud: "gcp" | "azure" | "aws";
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The collector pods' labels; absent for a scraper outside the cluster. */
  readonly podLabels?: Readonly<Record<string, string>>;
}

const COLLECTORS: Readonly<Record<Exclude<MonitoringProvider, "prometheus">, ManagedCollector>> = {
  "managed-prometheus": { cloud: "gcp", namespace: "gmp-system", serviceAccount: "collector", podLabels: { "app.kubernetes.io/name": "collector" } },
  "azure-monitor": { cloud: "azure", namespace: "kube-system", serviceAccount: "ama-metrics-serviceaccount", podLabels: { rsName: "ama-metrics" } },
  // The AMP managed scraper: ENIs in the cluster's subnets, no pods (namespace/account name nothing in the cluster).
  "amazon-managed-prometheus": { cloud: "aws", namespace: "amazon-managed-prometheus", serviceAccount: "aps-collector-user" },
};

/** The managed choice's collector; undefined for the in-cluster Prometheus Operator. */
export function managedCollector(provider: MonitoringProvider): ManagedCollector | undefined {
  return provider === "prometheus" ? undefined : COLLECTORS[provider];
}

/** The cloud a monitoring choice belongs to (`prometheus` runs anywhere). */
export function monitoringCloud(provider: MonitoringProvider): "gcp" | "azure" | "aws" | undefined {
  return managedCollector(provider)?.cloud;
}

/** Is monitoring the cloud's managed Prometheus (not the Prometheus Operator in the cluster)? */
export function isManagedMonitoring(m: MonitoringModel | undefined): boolean {
  return !!m && m.provider !== "prometheus";
}

/** The choice finc offers on each cloud, for the diagnostics' hints. */
export const MANAGED_CHOICE: Readonly<Record<"gcp" | "azure" | "aws", Exclude<MonitoringProvider, "prometheus">>> = {
  gcp: "managed-prometheus",
  azure: "azure-monitor",
  aws: "amazon-managed-prometheus",
};

/**
 * Who the metrics ports' NetworkPolicy admits: the Prometheus pods, a managed collector's pods,
 * or (Amazon's managed scraper, which reaches the pods from its network interfaces in the
 * cluster's subnets) the VPC's private ranges — as for the ALB, which also has no pods.
 */
export function scraperPeers(m: MonitoringModel, prometheusPod: Readonly<Record<string, string>>): Record<string, unknown>[] {
  const c = managedCollector(m.provider);
  if (c && !c.podLabels) return PRIVATE_RANGES.map((cidr) => ({ ipBlock: { cidr } }));
  return [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": m.namespace } }, podSelector: { matchLabels: c?.podLabels ?? prometheusPod } }];
}

/** The pods that scrape, for runtime-check's needs file; undefined for a scraper outside the cluster (no pod to check a call from). */
export function scraperPod(m: MonitoringModel): { namespace: string; serviceAccount: string; labels?: Readonly<Record<string, string>> } | undefined {
  const c = managedCollector(m.provider);
  if (c && !c.podLabels) return undefined;
  return { namespace: m.namespace, serviceAccount: m.serviceAccount, ...(c?.podLabels ? { labels: c.podLabels } : {}) };
}
