import { AKS_AUDIT_CATEGORIES, azureAuditAccountName } from "../../model/audit-storage-clouds.js";
import { azureReady } from "../../model/cloud-azure.js";
import { primaryRegion } from "../../model/cloud-model.js";
import { pciScoped } from "../../model/cluster-security.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { AUDIT_RETENTION_DAYS } from "./control-plane.js";
import { ref, tfName, type TfValue } from "./json.js";
import { TfBlocks } from "./module-blocks.js";

/**
 * `audit-logs.tf.json` on azure under `compliance pci-dss` with a `cluster` (model/audit-storage-clouds.ts):
 * the AKS API server's audit log kept write-once (PCI DSS 10.3.2, 10.3.3, 10.5.1) next to the Log
 * Analytics copy azure.ts queries. A diagnostic setting sends `kube-audit` (every request, reads
 * included) and `guard` to a storage account in the cluster's region; Azure Monitor appends to the
 * containers `insights-logs-<category>`, which finc creates first, each with a LOCKED time-based
 * immutability policy that allows protected appends only (what Azure Monitor's append blobs
 * need): nobody, the subscription owner included, can delete or change a record for 365 days, and
 * neither the containers nor the account can be deleted while they hold records.
 */
export function azureAuditLogsFile(model: PlatformModel): Record<string, TfValue> | undefined {
  const p = model.platform;
  const location = primaryRegion(model);
  if (p.cloud !== "azure" || !azureReady(model) || !p.cluster || !location || !pciScoped(model)) return undefined;
  const blocks = new TfBlocks();
  blocks.addResource("azurerm_storage_account", "audit_logs", {
    name: azureAuditAccountName(model),
    resource_group_name: p.resourceGroup!,
    location,
    account_kind: "StorageV2",
    account_tier: "Standard",
    account_replication_type: "ZRS",
    https_traffic_only_enabled: true,
    min_tls_version: "TLS1_2",
    allow_nested_items_to_be_public: false,
    shared_access_key_enabled: false,
    default_to_oauth_authentication: true,
    infrastructure_encryption_enabled: true,
    blob_properties: [{ versioning_enabled: true, delete_retention_policy: [{ days: 7 }], container_delete_retention_policy: [{ days: 7 }] }],
    tags: { "app.kubernetes.io/managed-by": "finc", "app.kubernetes.io/part-of": p.name, "finc.dev/environment": model.environment, "finc.dev/purpose": "audit" },
    lifecycle: [{ prevent_destroy: true }],
  });
  for (const category of AKS_AUDIT_CATEGORIES) {
    const id = tfName("audit", category);
    blocks.addResource("azurerm_storage_container", id, { name: `insights-logs-${category}`, storage_account_id: ref("azurerm_storage_account.audit_logs.id"), container_access_type: "private" });
    blocks.addResource("azurerm_storage_container_immutability_policy", id, {
      storage_container_resource_manager_id: ref(`azurerm_storage_container.${id}.id`),
      immutability_period_in_days: AUDIT_RETENTION_DAYS,
      protected_append_writes_enabled: true,
      locked: true,
    });
  }
  blocks.addResource("azurerm_monitor_diagnostic_setting", "aks_audit_archive", {
    name: "finc-audit-archive",
    target_resource_id: ref("data.azurerm_kubernetes_cluster.this.id"),
    storage_account_id: ref("azurerm_storage_account.audit_logs.id"),
    enabled_log: AKS_AUDIT_CATEGORIES.map((category) => ({ category })),
    // Azure Monitor creates missing containers itself, without the lock: finc's locked ones must exist first.
    depends_on: AKS_AUDIT_CATEGORIES.map((c) => `azurerm_storage_container_immutability_policy.${tfName("audit", c)}`),
  });
  blocks.output["audit_log_storage_account"] = { description: "The write-once (locked immutability policy) storage account of the AKS audit logs (containers insights-logs-kube-audit, insights-logs-guard).", value: ref("azurerm_storage_account.audit_logs.name") };
  return blocks.file();
}
