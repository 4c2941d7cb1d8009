import { backupBucketName } from "./cloud-model.js";
import { gatewayRoutes, ingressController } from "./mesh.js";
import { serviceEgress } from "./egress-model.js";
import { egressGatewayOf } from "./egress-gateway.js";
import type { PlatformModel } from "./platform-model.js";
import { chaosRunsHere } from "./chaos-model.js";
import { activeProfile } from "./profiling.js";
import { CLOUD_MONITORING_ASSUMPTIONS } from "./cloud-monitoring-assumptions.js";

/**
 * What a cluster must run for finc's output to work: the operators and controllers whose CRDs or
 * annotations the emitters write, with the versions those APIs need. ONE table: `finc build` prints
 * the entries whose `matters` holds for a built environment, and the README's "Cluster requirements"
 * table is checked against it (test/readme-install-assumptions.test.ts), so the two cannot drift.
 * `matters` reads the model's features (never the output text), mirroring each emitter's condition.
 */
export interface InstallAssumption {
  readonly id: string;
  /** What must be installed, with its minimum version. */
  readonly component: string;
  /** Where finc assumes it runs, or how it must be installed. */
  readonly install: string;
  /** The spec features that need it (README column). */
  readonly neededBy: string;
  readonly matters: (model: PlatformModel) => boolean;
  /** The printed `install` for this model, where the spec decides it (the gateway, monitoring). */
  readonly installFor?: (model: PlatformModel) => string;
}

const exposes = (m: PlatformModel) => m.services.some((s) => s.expose.length > 0);
const sidecars = (m: PlatformModel) => m.platform.mesh === "istio" && m.platform.meshMode !== "ambient";
const esoStores = (m: PlatformModel) => m.secretStores.some((s) => s.delivery === "eso");
const scrapesApps = (m: PlatformModel) => m.platform.monitoring?.provider === "prometheus" && m.services.some((s) => s.ports.some((p) => p.name === "metrics"));
const monitoringNs = (m: PlatformModel) => m.platform.monitoring?.namespace ?? "monitoring";
/** The external hosts that leave through the egress gateway (emit/istio/egress-gateway.ts), as host:port. */
const gatewayHosts = (m: PlatformModel) => {
  const hosts = m.services.flatMap((s) => serviceEgress(m, s).flatMap((d) => (d.kind === "host" && !d.host.startsWith("*.") ? [`${d.host}:${d.port}`] : [])));
  return [...new Set(hosts)].sort();
};
/** External hosts on a port other than 443: their ServiceEntries are TCP without addresses (emit/istio/service-entry.ts). */
const tcpHosts = (m: PlatformModel) => {
  if (m.platform.mesh !== "istio") return [];
  const hosts = m.services.flatMap((s) => serviceEgress(m, s).flatMap((d) => (d.kind === "host" && d.port !== 443 ? [`${d.host}:${d.port}`] : [])));
  return [...new Set(hosts)].sort();
};
/** Alertmanager's receivers' endpoints (Slack incoming webhooks, PagerDuty Events API v2). */
const webhookHosts = (m: PlatformModel) =>
  (m.platform.alerting?.receivers ?? []).map((r) => (r.kind === "slack" ? "hooks.slack.com:443" : "events.pagerduty.com:443")).sort((a, b) => (a.startsWith("hooks") ? -1 : b.startsWith("hooks") ? 1 : 0));

export const INSTALL_ASSUMPTIONS: readonly InstallAssumption[] = [
  {
    id: "cloudnative-pg",
    component: "CloudNativePG operator ≥ 1.25",
    install: "namespace `cnpg-system`, pods labelled `app.kubernetes.io/name: cloudnative-pg`",
    neededBy: "`database` (not `standalone`)",
    matters: (m) => m.databases.some((d) => d.mode === "operator"),
  },
  {
    id: "external-secrets",
    component: "External Secrets Operator ≥ 0.16",
    install: "serves `external-secrets.io/v1`",
    neededBy: "`secret-store` without `delivery vault-agent`",
    matters: esoStores,
  },
  {
    id: "vault-agent",
    component: "Vault Agent Injector",
    install: "the `vault.hashicorp.com/agent-inject` mutating webhook",
    neededBy: "`secret-store … delivery vault-agent`",
    matters: (m) => m.secretStores.some((s) => s.delivery === "vault-agent"),
  },
  {
    id: "sealed-secrets",
    component: "Sealed Secrets controller",
    install: "the key the `kubeseal --raw` ciphertext was sealed with",
    neededBy: "`secret … from sealed`",
    matters: (m) => m.services.some((s) => s.secrets.some((x) => x.source.kind === "sealed")),
  },
  {
    id: "reloader",
    component: "Reloader (stakater)",
    install: "watching every namespace (`secret.reloader.stakater.com/reload`)",
    neededBy: "`credentials … rotate`, `engine postgres … standalone`",
    matters: (m) => m.databases.some((d) => d.mode === "standalone" || d.credentials.rotateMs !== undefined),
  },
  {
    id: "cert-manager",
    component: "cert-manager ≥ 1.12",
    install: "`cert-manager.io/v1` (Issuers, Certificates)",
    neededBy: "`issuer`, `expose … tls`, `engine postgres … standalone`",
    matters: (m) => (m.issuers?.length ?? 0) > 0 || m.services.some((s) => s.expose.some((e) => e.tls)) || m.databases.some((d) => d.mode === "standalone"),
  },
  {
    id: "istio-sidecar",
    component: "Istio ≥ 1.20, `default` profile",
    install: "sidecar injection (native sidecars for `migrate`, Kubernetes ≥ 1.29)",
    neededBy: "`mesh istio` / `mesh istio sidecar`",
    matters: (m) => sidecars(m) && !m.platform.meshCni,
  },
  {
    id: "istio-cni",
    component: "Istio ≥ 1.20 with the CNI node agent",
    install: "`istio_cni.enabled` (the `istio-cni` chart), no istio-init",
    neededBy: "`mesh istio sidecar cni`",
    matters: (m) => sidecars(m) && m.platform.meshCni === true,
  },
  {
    id: "istio-ambient",
    component: "Istio ≥ 1.24, `ambient` profile",
    install: "istio-cni and ztunnel on every node; waypoints for L7 policy",
    neededBy: "`mesh istio ambient`",
    matters: (m) => m.platform.mesh === "istio" && m.platform.meshMode === "ambient",
  },
  {
    id: "istio-gateway",
    component: "Istio ingress gateway",
    install: "namespace `istio-ingress`, service account `istio-ingressgateway` (or as `gateway` says)",
    neededBy: "`ingress istio` with `expose`",
    matters: (m) => gatewayRoutes(m.platform) && exposes(m),
    installFor: (m) => {
      const g = ingressController(m, "istio");
      return `namespace \`${g.namespace}\`, service account \`${g.serviceAccount}\``;
    },
  },
  {
    id: "istio-dns-auto-allocate",
    component: "Istio DNS proxying with address auto-allocation",
    install: "`ISTIO_META_DNS_CAPTURE=true` and ServiceEntry address auto-allocation (`ISTIO_META_DNS_AUTO_ALLOCATE`, or auto-allocation v2 from Istio 1.23): a TCP ServiceEntry without addresses otherwise claims its port for every destination",
    neededBy: "`egress \"<host>\" <port>` on a port other than 443 (or Kafka brokers outside the cluster) with `mesh istio`",
    matters: (m) => tcpHosts(m).length > 0,
    installFor: (m) => `\`ISTIO_META_DNS_CAPTURE=true\` and ServiceEntry address auto-allocation (\`ISTIO_META_DNS_AUTO_ALLOCATE\`, or auto-allocation v2 from Istio 1.23), for the TCP ServiceEntries of ${tcpHosts(m).join(", ")}`,
  },
  {
    id: "istio-egress-gateway",
    component: "Istio egress gateway",
    install: "namespace `istio-egress`, service account `istio-egressgateway`, pods `istio=egressgateway` (or as `egress-gateway` says); its own egress to the declared hosts",
    neededBy: "`egress-gateway`",
    matters: (m) => egressGatewayOf(m) !== undefined && gatewayHosts(m).length > 0,
    installFor: (m) => {
      const g = egressGatewayOf(m)!;
      const labels = Object.entries(g.labels).map(([k, v]) => `${k}=${v}`).join(", ");
      return `namespace \`${g.namespace}\`, service account \`${g.serviceAccount}\`, pods \`${labels}\`; its own egress to ${gatewayHosts(m).join(", ")}`;
    },
  },
  {
    id: "ingress-nginx",
    component: "ingress-nginx",
    install: "namespace `ingress-nginx`, service account `ingress-nginx`",
    neededBy: "`ingress nginx` with `expose`",
    matters: (m) => m.platform.ingress === "nginx" && exposes(m),
  },
  {
    id: "traefik",
    component: "Traefik",
    install: "namespace `traefik`, service account `traefik`",
    neededBy: "`ingress traefik` with `expose`",
    matters: (m) => m.platform.ingress === "traefik" && exposes(m),
  },
  {
    id: "aws-load-balancer-controller",
    component: "AWS Load Balancer Controller",
    install: "v2.5+ (IngressClassParams `elbv2.k8s.aws/v1beta1`), with IAM to manage ALBs; public subnets tagged `kubernetes.io/role/elb`; an ACM certificate per TLS host (discovered by host); pods reachable from the VPC's private ranges; with `mesh istio`, the Istio gateway's Service as ClusterIP (the ALB targets its pods)",
    neededBy: "`ingress alb` with `expose`",
    matters: (m) => m.platform.ingress === "alb" && exposes(m),
  },
  {
    id: "gke-ingress",
    component: "GKE Ingress",
    install: "the HTTP load balancing add-on (on by default), a VPC-native cluster (NEGs); a Compute SSL policy `<platform>-tls12` with min TLS 1.2; DNS of each TLS host pointing at the load balancer (Google-managed certificates provision only then); with `mesh istio`, the Istio gateway's Service annotated `cloud.google.com/neg: '{\"ingress\": true}'` and `cloud.google.com/backend-config: '{\"default\": \"<gateway service>\"}'`",
    neededBy: "`ingress gce` with `expose`",
    matters: (m) => m.platform.ingress === "gce" && exposes(m),
  },
  {
    id: "agic",
    component: "Application Gateway Ingress Controller",
    install: "AGIC (add-on or Helm) watching IngressClass `azure-application-gateway`, its Application Gateway (WAF_v2 for `waf`) in the cluster's VNet; pods reachable from the VNet's private ranges; with `mesh istio`, the Istio gateway's Service as ClusterIP",
    neededBy: "`ingress application-gateway` with `expose`",
    matters: (m) => m.platform.ingress === "application-gateway" && exposes(m),
  },
  {
    id: "external-dns",
    component: "external-dns",
    install: "watching the Ingresses / Istio Gateways' hosts",
    neededBy: "`dns external-dns` with `expose`",
    matters: (m) => m.platform.dns?.provider === "external-dns" && exposes(m),
  },
  {
    id: "prometheus-operator",
    component: "Prometheus Operator (kube-prometheus-stack)",
    install: "namespace `monitoring`, release `kube-prometheus-stack` (or as `monitoring` says)",
    neededBy: "`monitoring prometheus`",
    matters: (m) => m.platform.monitoring?.provider === "prometheus",
    installFor: (m) => `namespace \`${m.platform.monitoring?.namespace ?? "monitoring"}\`, release \`${m.platform.monitoring?.release ?? "kube-prometheus-stack"}\``,
  },
  {
    id: "prometheus-istio-certs",
    component: "Prometheus with Istio certificates",
    install: "Istio's documented setup on the Prometheus pods: a sidecar that captures no traffic and writes its certificates to `/etc/prom-certs` (`OUTPUT_CERTS`, `userVolumeMount`)",
    neededBy: "`monitoring prometheus` with `mesh istio` (sidecars) and a `metrics` port",
    matters: (m) => sidecars(m) && scrapesApps(m),
  },
  {
    id: "prometheus-ambient",
    component: "Prometheus in the ambient mesh",
    install: "namespace `monitoring` labelled `istio.io/dataplane-mode=ambient` (ztunnel's STRICT mTLS refuses plain-text scrapes; enrolled, ztunnel carries them with Prometheus's identity)",
    neededBy: "`monitoring prometheus` with `mesh istio ambient` and a `metrics` port",
    matters: (m) => m.platform.mesh === "istio" && m.platform.meshMode === "ambient" && scrapesApps(m),
    installFor: (m) => `namespace \`${monitoringNs(m)}\` labelled \`istio.io/dataplane-mode=ambient\` (ztunnel's STRICT mTLS refuses plain-text scrapes; enrolled, ztunnel carries them with Prometheus's identity)`,
  },
  ...CLOUD_MONITORING_ASSUMPTIONS, // the cloud's managed Prometheus (cloud-monitoring-assumptions.ts)
  {
    id: "profiler",
    component: "Parca or Pyroscope (Grafana Alloy)",
    install: "its scraper in namespace `parca` / `pyroscope` (or as `profiling` says), discovering pods by their annotations (the Parca chart's pod job; Alloy's `profiles.grafana.com` discovery); under `mesh istio ambient` that namespace labelled `istio.io/dataplane-mode=ambient`",
    neededBy: "`profile pprof` (where it is on)",
    matters: (m) => m.services.some((s) => activeProfile(m, s) !== undefined),
    installFor: (m) => `its scraper in namespace \`${m.platform.profiling?.namespace}\`, discovering pods by their annotations (${m.platform.profiling?.profiler === "pyroscope" ? "Alloy's `profiles.grafana.com` discovery" : "the Parca chart's pod job"})${m.platform.mesh === "istio" && m.platform.meshMode === "ambient" ? ", that namespace labelled `istio.io/dataplane-mode=ambient`" : ""}`,
  },
  {
    id: "alertmanager-webhooks",
    component: "Alertmanager webhooks",
    install: "from namespace `monitoring` (pods `app.kubernetes.io/name=alertmanager`) to `hooks.slack.com:443` / `events.pagerduty.com:443` through its NetworkPolicies (and ServiceEntries if that namespace is in the mesh with REGISTRY_ONLY)",
    neededBy: "`alerting`",
    matters: (m) => m.platform.monitoring?.provider === "prometheus" && webhookHosts(m).length > 0,
    installFor: (m) => `from namespace \`${monitoringNs(m)}\` (pods \`app.kubernetes.io/name=alertmanager\`) to ${webhookHosts(m).join(" and ")} through its NetworkPolicies (and ServiceEntries if that namespace is in the mesh with REGISTRY_ONLY)`,
  },
  {
    id: "keda",
    component: "KEDA ≥ 2.13",
    install: "`keda.sh/v1alpha1`; it creates the HPA",
    neededBy: "`scale on …`, `sleep`",
    matters: (m) => m.services.some((s) => (s.scaling?.scale?.length ?? 0) > 0 || !!s.scaling?.sleep),
  },
  {
    id: "keda-aws-identity",
    component: "KEDA operator with an IAM role",
    install: "workload identity (`podIdentity.provider: aws`), role `keda_operator_role_arn`",
    neededBy: "`scale on queue sqs`",
    matters: (m) => m.services.some((s) => s.scaling?.scale?.some((t) => t.kind === "sqs") ?? false),
  },
  {
    id: "vpa",
    component: "Vertical Pod Autoscaler",
    install: "`autoscaling.k8s.io/v1` (recommender; updater for `auto`)",
    neededBy: "`right-size`",
    matters: (m) => m.services.some((s) => s.scaling?.rightSize !== undefined),
  },
  {
    id: "argo-rollouts",
    component: "Argo Rollouts",
    install: "Istio traffic routing (it rewrites the VirtualService weights)",
    neededBy: "`rollout canary …` / `rollout blue-green`",
    matters: (m) => m.services.some((s) => s.scaling?.rollout !== undefined),
  },
  {
    id: "velero",
    component: "Velero with CSI snapshots",
    install: "namespace `velero`, the CSI plugin (`EnableCSI`)",
    neededBy: "`backup` on `engine postgres … standalone`",
    matters: (m) => m.databases.some((d) => d.backup !== undefined && d.mode === "standalone"),
  },
  {
    id: "csi-snapshots",
    component: "CSI snapshot controller",
    install: "`snapshot.storage.k8s.io/v1`, a CSI driver that snapshots",
    neededBy: "`backup` without an object store (standalone, or no backup bucket)",
    matters: (m) => m.databases.some((d) => d.backup !== undefined && (d.mode === "standalone" || backupBucketName(m) === undefined)),
  },
  {
    id: "argocd",
    component: "Argo CD ≥ 3.0",
    install: "namespace `argocd`; resource tracking by annotation (the default since 3.0: with label tracking Argo CD would overwrite finc's `app.kubernetes.io/instance`); each environment's `cluster` registered under that name; read access to the `delivery` repository",
    neededBy: "`delivery argocd`",
    matters: (m) => m.platform.delivery?.tool === "argocd",
  },
  {
    id: "flux",
    component: "Flux ≥ 2.3",
    install: "bootstrapped in each environment's cluster (namespace `flux-system`), with the repository's credentials in the Secret `<platform>-git` there (`flux create secret git`)",
    neededBy: "`delivery flux`",
    matters: (m) => m.platform.delivery?.tool === "flux",
  },
  {
    id: "chaos-mesh",
    component: "Chaos Mesh ≥ 2.6",
    install: "its controller and (privileged) chaos daemon in their own namespace, allowed to act on the platform's namespaces",
    neededBy: "`chaos` (in the environments it names)",
    matters: chaosRunsHere,
  },
  {
    id: "karpenter",
    component: "Karpenter ≥ 1.0 (AWS provider)",
    install: "serves `karpenter.sh/v1` and `karpenter.k8s.aws/v1`; the node role `KarpenterNodeRole-<cluster>` exists and the cluster's subnets and security groups carry `karpenter.sh/discovery: <cluster>`",
    neededBy: "`nodepool` on `cloud aws`",
    matters: (m) => m.platform.cloud === "aws" && (m.nodePools?.length ?? 0) > 0,
  },
  {
    id: "gke-cost-allocation",
    component: "GKE cost allocation",
    install: "on the GKE cluster (`cost_management_config.enabled`, `gcloud container clusters update --enable-cost-allocation`): its costs in Cloud Billing carry the `k8s-namespace` label the namespaces' budgets filter on (a precondition of the budget checks it)",
    neededBy: "`budget` on a `namespace` on `cloud gcp`",
    matters: (m) => m.platform.cloud === "gcp" && m.namespaces.some((n) => n.budget),
  },
  {
    id: "aks-encryption-at-host",
    component: "Azure encryption at host",
    install: "the subscription's `Microsoft.Compute/EncryptionAtHost` feature registered (`az feature register --namespace Microsoft.Compute --name EncryptionAtHost`), and a VM size that supports it",
    neededBy: "`nodepool` on `cloud azure` (host encryption)",
    matters: (m) => m.platform.cloud === "azure" && (m.nodePools?.length ?? 0) > 0,
  },
  {
    id: "kyverno",
    component: "Kyverno ≥ 1.13",
    install: "its admission webhook (failure policy Fail), with registry credentials to read signatures and, for a KMS key, an identity allowed to read the public key",
    neededBy: "`policy kyverno`, `image-signing`",
    matters: (m) => m.platform.policy === "kyverno" || m.platform.imageSigning !== undefined,
  },
  {
    id: "trivy-operator",
    component: "Trivy Operator ≥ 0.24 (aquasecurity/trivy-operator chart)",
    install: "namespace `trivy-system`, installed with `-f helm/trivy-operator/values-<env>.yaml`; its scan jobs pull the platform's images (registry credentials) and Trivy's vulnerability database",
    neededBy: "`scanning trivy` (the default under `compliance pci-dss`)",
    matters: (m) => m.platform.scanning !== undefined,
  },
];

/** The assumptions that hold for any of the built environments, in table order, each once. */
export function installAssumptionsFor(models: readonly PlatformModel[]): string[] {
  return INSTALL_ASSUMPTIONS.flatMap((a) => {
    const hit = models.find((m) => a.matters(m));
    if (!hit) return [];
    const install = (a.installFor?.(hit) ?? a.install).replace(/`/g, "");
    return [`${a.component.replace(/`/g, "")}: ${install}`];
  });
}

/** The README's "Cluster requirements" table, generated from the same data. */
export function installAssumptionsTable(): string {
  const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [row(["component", "install", "needed by"]), "| --- | --- | --- |", ...INSTALL_ASSUMPTIONS.map((a) => row([a.component, a.install, a.neededBy]))].join("\n");
}
