import { gcpKmsKey, gsaAccountId } from "../../model/cloud-gcp.js";
import { primaryRegion } from "../../model/cloud-model.js";
import { cloudNodePools, maxNodes, poolMachine } from "../../model/cloud-node-pools.js";
import { PCI_TAINT, poolTaints, type NodePoolModel } from "../../model/nodepool-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { ref, tf, tfName, type TfValue } from "./json.js";
import { TfBlocks } from "./module-blocks.js";

type Body = Record<string, TfValue>;

/** Kubernetes taint effects as the GKE API spells them. */
const GKE_EFFECT = { NoSchedule: "NO_SCHEDULE" } as const;

/**
 * `nodepool`s on `cloud gcp` as `google_container_node_pool`s of the environment's GKE cluster
 * (`cluster`, in the primary region), `node-pools.tf.json`: the cluster autoscaler from 0 to the
 * nodes the pool's `limit` holds, one machine type, Spot VMs for `capacity spot`, Shielded nodes
 * (secure boot, integrity monitoring), the GKE metadata server (Workload Identity: pods never see
 * the node's credentials), the boot disk encrypted with the platform's Cloud KMS key, auto-repair
 * and auto-upgrade, and the nodes' own least-privilege service account. The taints are those of
 * poolTaints (the spot taint GKE documents for Spot pools, the pci taint), which is exactly what
 * `spot yes` and PCI-scoped workloads tolerate; GKE itself labels Spot nodes
 * `cloud.google.com/gke-spot=true`, the label their affinity prefers. Nothing without pools, `account` or `cluster`.
 */
export function gcpNodePoolFiles(model: PlatformModel): Record<string, TfValue> | undefined {
  const pools = cloudNodePools(model, "gcp");
  const p = model.platform;
  const project = p.account;
  const region = primaryRegion(model);
  if (!pools.length || !project || !region || !p.cluster) return undefined;
  const blocks = new TfBlocks();
  // The nodes' identity: GKE's minimal node role (logs, metrics, image pulls from the project's Artifact Registry), not the Compute Engine default account (Editor).
  blocks.addResource("google_service_account", "gke_nodes", { project, account_id: gsaAccountId(model, "gke", "nodes"), display_name: `finc: the nodes of ${p.cluster}`, description: `finc: the node pools of GKE cluster ${p.cluster} (${model.environment})` });
  blocks.addResource("google_project_iam_member", "gke_nodes", { project, role: "roles/container.defaultNodeServiceAccount", member: tf`serviceAccount:${ref("google_service_account.gke_nodes.email")}` });
  const key = gcpKmsKey(model);
  const keyId = key?.ring ? ref("google_kms_crypto_key.platform.id") : key?.id;
  for (const pool of pools) blocks.addResource("google_container_node_pool", tfName(pool.name), nodePool(model, pool, project, region, p.cluster, keyId));
  blocks.output["gke_node_pools"] = { description: "The GKE node pools finc created (their nodes run as gke_nodes_service_account).", value: Object.fromEntries(pools.map((pool) => [pool.name, ref(`google_container_node_pool.${tfName(pool.name)}.id`)])) };
  blocks.output["gke_nodes_service_account"] = { description: "The node pools' service account: grant it roles/artifactregistry.reader on registries outside the project.", value: ref("google_service_account.gke_nodes.email") };
  return blocks.file();
}

function nodePool(model: PlatformModel, pool: NodePoolModel, project: string, region: string, cluster: string, keyId: TfValue | undefined): Body {
  const spot = pool.capacity === "spot";
  const taints = poolTaints(model, pool);
  return {
    project,
    name: pool.name,
    cluster,
    location: region,
    ...(pool.zones.length ? { node_locations: [...pool.zones] } : {}),
    autoscaling: [{
      // Totals over the pool's zones: what a `limit` bounds. ANY lets Spot pools go where capacity is.
      total_min_node_count: 0,
      total_max_node_count: maxNodes("gcp", pool) ?? 1,
      location_policy: spot ? "ANY" : "BALANCED",
    }],
    management: [{ auto_repair: true, auto_upgrade: true }],
    upgrade_settings: [{ strategy: "SURGE", max_surge: 1, max_unavailable: 0 }],
    node_config: [{
      machine_type: poolMachine("gcp", pool),
      ...(spot ? { spot: true } : {}),
      image_type: "COS_CONTAINERD",
      disk_type: "pd-balanced",
      disk_size_gb: 50,
      ...(keyId ? { boot_disk_kms_key: keyId } : {}),
      service_account: ref("google_service_account.gke_nodes.email"),
      oauth_scopes: ["https://www.googleapis.com/auth/cloud-platform"],
      metadata: { "disable-legacy-endpoints": "true" },
      shielded_instance_config: [{ enable_secure_boot: true, enable_integrity_monitoring: true }],
      workload_metadata_config: [{ mode: "GKE_METADATA" }],
      labels: { "finc.dev/nodepool": pool.name, ...(pool.pci ? { [PCI_TAINT.key]: PCI_TAINT.value } : {}) },
      ...(taints.length ? { taint: taints.map((t) => ({ key: t.key, value: t.value, effect: GKE_EFFECT[t.effect] })) } : {}),
      resource_labels: { "finc-nodepool": pool.name },
    }],
    // The Compute Engine service agent must hold the key before a boot disk is encrypted with it (gcp.ts grants it).
    depends_on: [...(keyId ? ["google_kms_crypto_key_iam_member.disks"] : []), "google_project_iam_member.gke_nodes"],
  };
}
