import type { InstallAssumption } from "./install-assumptions.js";
import type { PlatformModel } from "./platform-model.js";

/** What the cloud's managed Prometheus needs of the cluster (emit/cloud-monitoring; the README's Cloud monitoring). */
const provider = (m: PlatformModel) => m.platform.monitoring?.provider;
const ambient = (m: PlatformModel) => m.platform.mesh === "istio" && m.platform.meshMode === "ambient";

export const CLOUD_MONITORING_ASSUMPTIONS: readonly InstallAssumption[] = [
  {
    id: "gmp-managed-collection",
    component: "Google Cloud Managed Service for Prometheus",
    install: "managed collection on the GKE cluster (`monitoring_config { managed_prometheus { enabled = true } }`; the Terraform postcondition checks it); `gmp-system/collector` annotated with the output `gmp_rule_evaluator_service_account` (Workload Identity); under `mesh istio ambient`, `gmp-system` labelled `istio.io/dataplane-mode=ambient`",
    neededBy: "`monitoring managed-prometheus`",
    matters: (m) => provider(m) === "managed-prometheus",
  },
  {
    id: "azure-monitor-metrics",
    component: "Azure Monitor managed service for Prometheus",
    install: "the AKS metrics add-on (`monitor_metrics`, the ama-metrics pods in `kube-system`), sending to the workspace through finc's data collection rule",
    neededBy: "`monitoring azure-monitor`",
    matters: (m) => provider(m) === "azure-monitor",
  },
  {
    id: "amp-managed-scraper",
    component: "Amazon Managed Service for Prometheus managed scraper",
    install: "EKS access entries (authentication mode `API` or `API_AND_CONFIG_MAP`) for the scraper's user `aps-collector-user`; the pods reachable from the cluster's subnets on their metrics ports",
    neededBy: "`monitoring amazon-managed-prometheus`",
    matters: (m) => provider(m) === "amazon-managed-prometheus" && !ambient(m),
  },
];
