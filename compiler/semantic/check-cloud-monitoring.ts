import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { MANAGED_CHOICE, monitoringCloud } from "../model/cloud-monitoring.js";
import type { PlatformModel } from "../model/platform-model.js";

const SERVICE_NAME = { gcp: "Google Cloud Managed Service for Prometheus", azure: "Azure Monitor managed service for Prometheus", aws: "Amazon Managed Service for Prometheus" } as const;

/**
 * A cloud's managed Prometheus (`monitoring managed-prometheus|azure-monitor|amazon-managed-prometheus`):
 * only on its own cloud (FIN4099), and with what its Terraform and collectors need (FIN4098):
 * the project/subscription/account and the cluster it monitors (on azure the resource group);
 * with `alerting` on GMP, one cluster-scoped secret store (ESO renders the managed Alertmanager's
 * Secret in gmp-public, a namespace the platform does not declare); on AWS and Azure, no ambient mesh in
 * front of a `metrics` port (Amazon's scraper is outside the mesh, ama-metrics in kube-system, which
 * Istio does not enroll; ztunnel refuses plain text).
 */
export function checkCloudMonitoring(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  const m = p.monitoring;
  const cloud = m && monitoringCloud(m.provider);
  if (!m || !cloud) return;
  const at = m.providerRange ?? p.fields["monitoring"] ?? p.origin;
  if (p.cloud !== cloud) {
    const fits = p.cloud === "onprem" ? "`monitoring prometheus` (the Prometheus Operator in the cluster)" : `\`monitoring ${MANAGED_CHOICE[p.cloud]}\` (${SERVICE_NAME[p.cloud]}) or \`monitoring prometheus\``;
    report(diag("FIN4099", at, {
      message: `\`monitoring ${m.provider}\` is ${SERVICE_NAME[cloud]}, a ${cloud} service, but the platform runs on \`cloud ${p.cloud}\`.`,
      hint: `Use ${fits}.`,
    }));
    return;
  }
  const missing = [
    ...(!p.account ? [cloud === "gcp" ? "`account` (the GCP project)" : cloud === "azure" ? "`account` (the Azure subscription)" : "`account` (the AWS account ID)"] : []),
    ...(cloud === "azure" && !p.resourceGroup ? ["`resource-group`"] : []),
    ...(!p.cluster ? [`\`cluster\` (the ${cloud === "gcp" ? "GKE" : cloud === "azure" ? "AKS" : "EKS"} cluster monitored)`] : []),
  ];
  const what = cloud === "gcp"
    ? "the Terraform that checks managed collection is on for the cluster and grants the rule evaluator its role"
    : cloud === "azure"
      ? "the workspace, the rule groups and the action groups, which live in Azure Monitor (Terraform), scoped to the cluster"
      : "the workspace, the managed scraper of the cluster, the rule groups and the alert manager, which live in AMP (Terraform)";
  if (missing.length)
    report(diag("FIN4098", at, {
      message: `\`monitoring ${m.provider}\` needs ${missing.join(" and ")} on the platform: ${what} cannot be written without ${missing.length > 1 ? "them" : "it"}, and no alert would fire.`,
      hint: `Add ${missing.join(" and ")} to the platform (per environment: \`platform.cluster "…"\`).`,
    }));
  const alerting = p.fields["alerting"];
  const receivers = p.alerting?.receivers ?? [];
  if (cloud === "gcp" && alerting && receivers.length) {
    const creds = receivers.map((r) => (r.kind === "slack" ? r.webhook : r.routingKey));
    const stores = [...new Set(creds.map((c) => c.store))];
    const namespaced = creds.find((c) => model.secretStores.find((x) => x.name === c.store)?.scope !== "cluster");
    const offending = stores.length > 1 ? creds.find((c) => c.store !== stores[0]) : namespaced;
    if (offending)
      report(diag("FIN4098", offending.storeRange ?? alerting, {
        message: stores.length > 1
          ? `With \`monitoring managed-prometheus\` the receivers' credentials are rendered into one Secret (gmp-public/alertmanager, GMP's managed Alertmanager configuration), which ESO reads from one store; they come from ${stores.map((s) => `'${s}'`).join(" and ")}.`
          : `With \`monitoring managed-prometheus\` ESO renders the receivers' credentials into gmp-public/alertmanager (GMP's managed Alertmanager configuration), a namespace the platform does not declare: the store '${offending.store}' must be cluster-scoped to be read there.`,
        hint: stores.length > 1 ? "Keep both receivers' credentials in one secret store." : "Declare the store with `scope cluster` (a ClusterSecretStore).",
      }));
  }
  // Rollout analyses and `scale on prometheus` query the in-cluster Prometheus API (emit/autoscaling/keda.ts), which a managed choice does not run.
  for (const svc of model.services) {
    const rollout = svc.scaling?.rollout;
    if (rollout?.conditions.length)
      report(diag("FIN4098", svc.fields["rollout"] ?? svc.origin, {
        message: `The rollout analysis of '${svc.name}' queries Prometheus at http://prometheus-operated.monitoring.svc:9090, which \`monitoring ${m.provider}\` does not run: ${SERVICE_NAME[cloud]} answers PromQL only with the cloud's own authentication, which Argo Rollouts' Prometheus provider does not speak.`,
        hint: "Keep `monitoring prometheus` for services with rollout analysis, or roll out without analysis conditions.",
      }));
    for (const t of svc.scaling?.scale ?? [])
      if (t.kind === "prometheus" && !t.server)
        report(diag("FIN4098", t.origin, {
          message: `\`scale on prometheus\` of '${svc.name}' would query http://prometheus-operated.monitoring.svc:9090, which \`monitoring ${m.provider}\` does not run.`,
          hint: `Name a PromQL endpoint that answers without credentials from the cluster (\`server "<url>"\`, e.g. ${cloud === "gcp" ? "GMP's frontend proxy" : "a query proxy that signs for the cloud's API"}).`,
        }));
  }
  // GMP's collectors can join the ambient mesh (enroll gmp-system); Amazon's scraper is outside the cluster, and Istio does not enroll kube-system (ama-metrics).
  if (cloud !== "gcp" && p.mesh === "istio" && p.meshMode === "ambient") {
    const s = model.services.find((x) => x.ports.some((q) => q.name === "metrics"));
    if (s)
      report(diag("FIN4098", at, {
        message: `${cloud === "aws" ? "Amazon's managed scraper reaches the pods from outside the mesh" : "The ama-metrics pods run in kube-system, which Istio does not enroll in the mesh"}, and under \`mesh istio ambient\` ztunnel refuses their plain-text scrape of '${s.name}' (STRICT mTLS).`,
        hint: "Use sidecars (`mesh istio sidecar`, the metrics port accepts plain text alone), or `monitoring prometheus` in the cluster.",
      }));
  }
}
