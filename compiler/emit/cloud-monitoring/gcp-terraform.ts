import { gsaAccountId, workloadIdentityMember } from "../../model/cloud-gcp.js";
import { primaryRegion } from "../../model/cloud-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { ref, tf, type TfValue } from "../terraform/json.js";
import { TfBlocks } from "../terraform/module-blocks.js";

/** GMP's collector and rule evaluator run as this Kubernetes ServiceAccount (prometheus-engine's manifests). */
const GMP_KSA = { namespace: "gmp-system", name: "collector" } as const;

/**
 * `monitoring managed-prometheus`, the GCP side (`monitoring.tf.json`): finc does not own the GKE
 * cluster, so, as for its control-plane settings, it reads the cluster and fails the plan unless
 * managed collection is on (`monitoring_config { managed_prometheus { enabled = true } }`); and the
 * rule evaluator, which queries Cloud Monitoring for the Rules' expressions, gets a Google service
 * account with `roles/monitoring.viewer` (reads only) bound by Workload Identity to its Kubernetes
 * ServiceAccount, gmp-system/collector (GMP's documented setup on Workload Identity clusters).
 */
export function gmpTerraformFiles(model: PlatformModel): Map<string, Record<string, TfValue>> {
  const files = new Map<string, Record<string, TfValue>>();
  const p = model.platform;
  const region = primaryRegion(model);
  if (p.monitoring?.provider !== "managed-prometheus" || p.cloud !== "gcp" || !p.account || !p.cluster || !region) return files;
  const project = p.account;
  const b = new TfBlocks();
  b.addData("google_container_cluster", "monitoring", {
    project,
    name: p.cluster,
    location: region,
    lifecycle: [{
      postcondition: [{
        condition: ref("length(self.monitoring_config) > 0 && length(self.monitoring_config[0].managed_prometheus) > 0 && self.monitoring_config[0].managed_prometheus[0].enabled"),
        error_message: `Managed collection of Google Cloud Managed Service for Prometheus must be on for GKE cluster ${p.cluster} (monitoring managed-prometheus): set monitoring_config { managed_prometheus { enabled = true } } on the cluster (gcloud container clusters update ${p.cluster} --enable-managed-prometheus).`,
      }],
    }],
  });
  const id = "gmp_rule_evaluator";
  b.addResource("google_service_account", id, {
    project,
    account_id: gsaAccountId(model, GMP_KSA.namespace, "rules"),
    display_name: `finc: GMP rule evaluator of ${p.cluster}`.slice(0, 100),
    description: `finc: the managed rule evaluator of GKE cluster ${p.cluster} (${model.environment}) reads the metrics its Rules query`,
  });
  b.addResource("google_project_iam_member", id, { project, role: "roles/monitoring.viewer", member: tf`serviceAccount:${ref(`google_service_account.${id}.email`)}` });
  b.addResource("google_service_account_iam_member", id, {
    service_account_id: ref(`google_service_account.${id}.name`),
    role: "roles/iam.workloadIdentityUser",
    member: workloadIdentityMember(project, GMP_KSA.namespace, GMP_KSA.name),
  });
  b.output["gmp_rule_evaluator_service_account"] = {
    description: `Annotate ${GMP_KSA.namespace}/${GMP_KSA.name} with it (iam.gke.io/gcp-service-account) so that GMP's rule evaluator reads metrics as this account.`,
    value: ref(`google_service_account.${id}.email`),
  };
  files.set("monitoring.tf.json", b.file()!);
  return files;
}
