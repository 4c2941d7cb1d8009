import { azureKmsKey, azureReady } from "../../model/cloud-azure.js";
import { azurePoolZones, cloudNodePools, maxNodes, poolMachine } from "../../model/cloud-node-pools.js";
import { PCI_TAINT, poolTaints, SPOT_TAINTS, type NodePoolModel } from "../../model/nodepool-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { tags } from "./azure.js";
import { ref, tfName, type TfValue } from "./json.js";
import { TfBlocks } from "./module-blocks.js";

type Body = Record<string, TfValue>;

/**
 * `nodepool`s on `cloud azure` as `azurerm_kubernetes_cluster_node_pool`s (user mode) of the
 * environment's AKS cluster (`cluster` in `resource-group`), `node-pools.tf.json`: the cluster
 * autoscaler from 0 to the nodes the pool's `limit` holds, one VM size, the region's zones,
 * Azure Linux on a managed OS disk, host encryption (temp disks and caches encrypted at the host;
 * with the platform's key, the cluster must use its disk encryption set, a precondition checks
 * it). `capacity spot` is a Spot scale set that deletes evicted VMs and pays at most the on-demand
 * price; AKS itself taints and labels its nodes `kubernetes.azure.com/scalesetpriority=spot`
 * (NoSchedule), which is SPOT_TAINTS.azure, what `spot yes` workloads tolerate and prefer; the
 * pool declares the same taint and label (as the provider asks, or every plan would show AKS's
 * additions as a change). `taint pci` is the pci taint and label. Nothing without pools or `cluster`.
 */
export function azureNodePoolFiles(model: PlatformModel): Record<string, TfValue> | undefined {
  const pools = cloudNodePools(model, "azure");
  if (!pools.length || !azureReady(model) || !model.platform.cluster) return undefined;
  const blocks = new TfBlocks();
  const cmk = !!azureKmsKey(model);
  for (const pool of pools) blocks.addResource("azurerm_kubernetes_cluster_node_pool", tfName(pool.name), nodePool(model, pool, cmk));
  blocks.output["aks_node_pools"] = { description: "The AKS node pools finc created. Host encryption needs the subscription's EncryptionAtHost feature (az feature register --namespace Microsoft.Compute --name EncryptionAtHost).", value: Object.fromEntries(pools.map((p) => [p.name, ref(`azurerm_kubernetes_cluster_node_pool.${tfName(p.name)}.id`)])) };
  return blocks.file();
}

function nodePool(model: PlatformModel, pool: NodePoolModel, cmk: boolean): Body {
  const spot = pool.capacity === "spot";
  const taints = poolTaints(model, pool);
  return {
    name: pool.name,
    kubernetes_cluster_id: ref("data.azurerm_kubernetes_cluster.this.id"),
    mode: "User",
    vm_size: poolMachine("azure", pool),
    auto_scaling_enabled: true,
    min_count: 0,
    max_count: maxNodes("azure", pool) ?? 1,
    zones: azurePoolZones(pool),
    os_type: "Linux",
    os_sku: "AzureLinux",
    os_disk_type: "Managed",
    host_encryption_enabled: true,
    ...(spot ? { priority: "Spot", eviction_policy: "Delete", spot_max_price: -1 } : {}),
    node_labels: { "finc.dev/nodepool": pool.name, ...(spot ? { [SPOT_TAINTS.azure.key]: SPOT_TAINTS.azure.value } : {}), ...(pool.pci ? { [PCI_TAINT.key]: PCI_TAINT.value } : {}) },
    ...(taints.length ? { node_taints: taints.map((t) => `${t.key}=${t.value}:${t.effect}`) } : {}),
    tags: { ...tags(model), "finc.dev/nodepool": pool.name },
    ...(cmk
      ? {
          lifecycle: [{
            precondition: [{
              condition: ref("data.azurerm_kubernetes_cluster.this.disk_encryption_set_id == azurerm_disk_encryption_set.platform.id"),
              error_message: "The AKS cluster must encrypt its nodes' OS disks with the platform's disk encryption set (disk_encryption_set_id): node pools inherit it.",
            }],
          }],
        }
      : {}),
  };
}
