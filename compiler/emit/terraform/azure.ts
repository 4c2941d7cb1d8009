import { azureMonitorTerraformFiles } from "../cloud-monitoring/azure-terraform.js";
import {
  AZURE_BACKUP_CONTAINER, azureBackupAccountName, azureBackupIdentities, azureIdentities, azureIdentityName, azureKmsKey, azureReady, azureSubject,
  diskEncryptionSetName, keyVaultName,
} from "../../model/cloud-azure.js";
import { backedUpDatabases, primaryRegion } from "../../model/cloud-model.js";
import { azureBackupReplication } from "../../model/standby-archive.js";
import { azureAuditLogsFile } from "./azure-audit.js";
import { clusterStoreSecrets, type CloudSecretRef } from "../../model/cloud-secrets.js";
import { pciScoped } from "../../model/cluster-security.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { VELERO_NAMESPACE } from "../backup/index.js";
import { AUDIT_RETENTION_DAYS } from "./control-plane.js";
import { ref, tf, tfName, type TfTemplate, type TfValue } from "./json.js";
import { exposedDnsZones, TfBlocks } from "./module-blocks.js";
import { azureDrillReaders } from "./azure-drills.js";
import { azureNodePoolFiles } from "./azure-node-pools.js";
import { azureBudgetFiles } from "./azure-budgets.js";
import { clientIdsEntrySuffix, clientIdsFieldDescription } from "./azure-client-ids-field.js";

type Body = Record<string, TfValue>;
type Tf = string | TfTemplate;
const DAY_MS = 86_400_000;

/** The audience Azure Workload Identity's tokens carry. */
const AZURE_AUDIENCE = "api://AzureADTokenExchange";

/** The blob actions a role assignment's ABAC condition restricts to one path prefix. */
const BLOB_ACTIONS = ["read", "write", "delete", "add/action", "move/action"].map((a) => `Microsoft.Storage/storageAccounts/blobServices/containers/blobs/${a}`);

/**
 * The Azure side of one environment (`cloud azure`: subscription `account`, `resource-group`):
 * user-assigned managed identities with federated credentials for the AKS cluster's OIDC issuer,
 * one per Kubernetes ServiceAccount, granted Key Vault Secrets User on exactly the secrets each
 * reads; the Key Vault key (rotation policy) of disks (through a disk encryption set), backups and
 * AKS's KMS etcd encryption; the backup storage account (GZRS with `replicate to`, else ZRS:
 * versioned, soft delete, CMK, no shared keys, TLS 1.2); Azure DNS zones for external-dns; the
 * AKS control plane's settings (KMS checked by a postcondition; kube-audit to a Log Analytics
 * workspace kept a year under pci-dss). Nothing without `account` and `resource-group`.
 */
export function azureFiles(model: PlatformModel): Map<string, Record<string, TfValue>> {
  const p = model.platform;
  const files = new Map<string, Record<string, TfValue>>();
  const location = primaryRegion(model);
  if (p.cloud !== "azure" || !azureReady(model) || !location) return files;
  const rg = p.resourceGroup!;
  const identities = azureIdentities(model);
  const operatorSecrets = clusterStoreSecrets(model, "azure");
  const backed = backedUpDatabases(model);
  const key = azureKmsKey(model);
  const zones = exposedDnsZones(model);
  const budgets = azureBudgetFiles(model); // Cost Management budget (azure-budgets.ts)
  if (!identities.length && !operatorSecrets.length && !backed.length && !key && !zones.length && !p.cluster && !budgets) return files;

  const main = new TfBlocks();
  const vars = new TfBlocks();
  const identity = new TfBlocks();
  const kms = new TfBlocks();
  const backups = new TfBlocks();
  const dns = new TfBlocks();
  const controlPlane = new TfBlocks();
  const outputs = new TfBlocks();
  const clientIds: Record<string, TfValue> = {};
  const fieldLines: Tf[] = [];

  // The cluster's OIDC issuer: looked up from `cluster`, else a variable.
  let issuer: Tf | undefined;
  const issuerUrl = (): Tf => {
    if (issuer) return issuer;
    if (p.cluster) {
      controlPlane.addData("azurerm_kubernetes_cluster", "this", { name: p.cluster, resource_group_name: rg });
      issuer = ref("data.azurerm_kubernetes_cluster.this.oidc_issuer_url");
    } else {
      vars.variable["oidc_issuer_url"] = { type: "string", description: "The AKS cluster's OIDC issuer URL (the platform declares no `cluster` to look it up by)." };
      issuer = ref("var.oidc_issuer_url");
    }
    return issuer;
  };

  /** A managed identity only the Kubernetes ServiceAccount `<ns>/<sa>` can federate to. */
  const managedIdentity = (id: string, name: string, subject: Tf, key?: string): TfTemplate => {
    identity.addResource("azurerm_user_assigned_identity", id, { name, resource_group_name: rg, location, tags: tags(model) });
    identity.addResource("azurerm_federated_identity_credential", id, {
      name: "kubernetes",
      user_assigned_identity_id: ref(`azurerm_user_assigned_identity.${id}.id`),
      audience: [AZURE_AUDIENCE],
      issuer: issuerUrl(),
      subject,
    });
    if (key) {
      clientIds[key] = ref(`azurerm_user_assigned_identity.${id}.client_id`);
      fieldLines.push(tf`"${key}" "${ref(`azurerm_user_assigned_identity.${id}.client_id`)}"${clientIdsEntrySuffix(model)}`);
    }
    return ref(`azurerm_user_assigned_identity.${id}.principal_id`);
  };

  // Key Vaults are looked up once each; Key Vault Secrets User is granted per secret (RBAC scope `<vault id>/secrets/<name>`).
  const vaultIds = new Map<string, TfTemplate>();
  const vaultId = (vault: string): TfTemplate => {
    const found = vaultIds.get(vault);
    if (found) return found;
    const id = tfName(vault);
    identity.addData("azurerm_key_vault", id, { name: vault, resource_group_name: rg });
    const r = ref(`data.azurerm_key_vault.${id}.id`);
    vaultIds.set(vault, r);
    return r;
  };
  const readSecrets = (id: string, principal: TfTemplate, secrets: readonly CloudSecretRef[]) => {
    for (const s of secrets) {
      const vault = keyVaultName(s.server);
      if (!vault) continue;
      identity.addResource("azurerm_role_assignment", tfName(id, vault, s.name), {
        scope: tf`${vaultId(vault)}/secrets/${s.name}`,
        role_definition_name: "Key Vault Secrets User",
        principal_id: principal,
        principal_type: "ServicePrincipal",
        description: `finc: read ${s.name}`,
      });
    }
  };

  for (const w of identities) {
    const id = tfName(w.namespace, w.serviceAccount);
    const principal = managedIdentity(id, azureIdentityName(model, w.namespace, w.serviceAccount), azureSubject(w.namespace, w.serviceAccount), `${w.namespace}/${w.serviceAccount}`);
    readSecrets(id, principal, w.secrets);
  }
  if (operatorSecrets.length) {
    vars.variable["external_secrets_namespace"] = { type: "string", default: "external-secrets", description: "The namespace the External Secrets Operator runs in." };
    vars.variable["external_secrets_service_account"] = { type: "string", default: "external-secrets", description: "The External Secrets Operator's service account (Helm value serviceAccount.name)." };
    const principal = managedIdentity("external_secrets", azureIdentityName(model, "eso", "operator"), tf`system:serviceaccount:${ref("var.external_secrets_namespace")}:${ref("var.external_secrets_service_account")}`);
    readSecrets("external_secrets", principal, operatorSecrets);
    outputs.output["external_secrets_client_id"] = { description: "Annotate the External Secrets Operator's service account with it (azure.workload.identity/client-id) and label its pods azure.workload.identity/use=true: the ClusterSecretStores use the operator's identity.", value: ref("azurerm_user_assigned_identity.external_secrets.client_id") };
  }

  // The key: created in the named (existing) vault with a rotation policy, or an existing key.
  let keyId: Tf | undefined;
  let versionless: Tf | undefined;
  if (key) {
    const vault = vaultIdForKms(kms, key.vault, rg);
    if (key.managed) {
      kms.addResource("azurerm_key_vault_key", "platform", {
        name: key.key,
        key_vault_id: vault,
        // RSA 2048: what AKS's KMS etcd encryption accepts; disks and storage take it too.
        key_type: "RSA",
        key_size: 2048,
        key_opts: ["decrypt", "encrypt", "unwrapKey", "wrapKey"],
        rotation_policy: [{ automatic: [{ time_before_expiry: "P30D" }], expire_after: "P365D", notify_before_expiry: "P29D" }],
        tags: tags(model),
      });
      keyId = ref("azurerm_key_vault_key.platform.id");
      versionless = ref("azurerm_key_vault_key.platform.versionless_id");
    } else {
      kms.addData("azurerm_key_vault_key", "platform", { name: key.key, key_vault_id: vault });
      keyId = ref("data.azurerm_key_vault_key.platform.id");
      versionless = ref("data.azurerm_key_vault_key.platform.versionless_id");
    }
    const keyScope = ref(`${key.managed ? "" : "data."}azurerm_key_vault_key.platform.resource_versionless_id`);
    // Disks: a disk encryption set (the StorageClasses' diskEncryptionSetID) following the key's rotation.
    kms.addResource("azurerm_disk_encryption_set", "platform", {
      name: diskEncryptionSetName(model),
      resource_group_name: rg,
      location,
      key_vault_key_id: versionless,
      auto_key_rotation_enabled: true,
      identity: [{ type: "SystemAssigned" }],
      tags: tags(model),
    });
    kms.addResource("azurerm_role_assignment", "disks_key", { scope: keyScope, role_definition_name: "Key Vault Crypto Service Encryption User", principal_id: ref("azurerm_disk_encryption_set.platform.identity[0].principal_id"), principal_type: "ServicePrincipal" });
    outputs.output["key_vault_key_id"] = { description: "The Key Vault key of the environment's disks (through the disk encryption set), backups and AKS's KMS etcd encryption.", value: versionless };
    outputs.output["disk_encryption_set_id"] = { description: "The StorageClasses' diskEncryptionSetID.", value: ref("azurerm_disk_encryption_set.platform.id") };
    if (backed.length) {
      identity.addResource("azurerm_user_assigned_identity", "backups_cmk", { name: `${azureIdentityName(model, "storage", "cmk")}`, resource_group_name: rg, location, tags: tags(model) });
      kms.addResource("azurerm_role_assignment", "backups_key", { scope: keyScope, role_definition_name: "Key Vault Crypto Service Encryption User", principal_id: ref("azurerm_user_assigned_identity.backups_cmk.principal_id"), principal_type: "ServicePrincipal" });
    }
  }

  // Backups: a storage account (GZRS with `replicate to`: zone- and geo-redundant; else ZRS) with a private container.
  const accountName = azureBackupAccountName(model);
  if (backed.length && accountName) {
    const keepDays = Math.max(...backed.map((d) => Math.ceil(d.backup.keepMs / DAY_MS)));
    const geo = backed.some((d) => d.replicateTo && d.replicateTo !== location);
    backups.addResource("azurerm_storage_account", "backups", {
      name: accountName,
      resource_group_name: rg,
      location,
      account_kind: "StorageV2",
      account_tier: "Standard",
      account_replication_type: azureBackupReplication(model, geo), // RA-GZRS where a standby cluster reads it (model/standby-archive.ts)
      https_traffic_only_enabled: true,
      min_tls_version: "TLS1_2",
      allow_nested_items_to_be_public: false,
      // Entra ID only: Velero and barman-cloud authenticate with workload identity, never with account keys.
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      infrastructure_encryption_enabled: true,
      blob_properties: [{ versioning_enabled: true, delete_retention_policy: [{ days: 7 }], container_delete_retention_policy: [{ days: 7 }] }],
      ...(keyId ? {
        identity: [{ type: "UserAssigned", identity_ids: [ref("azurerm_user_assigned_identity.backups_cmk.id")] }],
        customer_managed_key: [{ key_vault_key_id: versionless!, user_assigned_identity_id: ref("azurerm_user_assigned_identity.backups_cmk.id") }],
        depends_on: ["azurerm_role_assignment.backups_key"],
      } : {}),
      tags: tags(model),
    });
    backups.addResource("azurerm_storage_container", "backups", { name: AZURE_BACKUP_CONTAINER, storage_account_id: ref("azurerm_storage_account.backups.id"), container_access_type: "private" });
    backups.addResource("azurerm_storage_management_policy", "backups", {
      storage_account_id: ref("azurerm_storage_account.backups.id"),
      rule: [{
        name: "expire-backups",
        enabled: true,
        // Velero and barman-cloud delete what their retention ends; this catches what they miss (like the S3 rules).
        filters: [{ blob_types: ["blockBlob"], prefix_match: [`${AZURE_BACKUP_CONTAINER}/backups/`] }],
        actions: [{ base_blob: [{ delete_after_days_since_modification_greater_than: keepDays + 1 }], version: [{ delete_after_days_since_creation: keepDays }] }],
      }],
    });
    const container = ref("azurerm_storage_container.backups.id");
    vars.variable["velero_namespace"] = { type: "string", default: VELERO_NAMESPACE, description: "The namespace Velero runs in." };
    vars.variable["velero_service_account"] = { type: "string", default: "velero-server", description: "Velero's service account (Helm value serviceAccount.server.name)." };
    const velero = managedIdentity("velero", azureIdentityName(model, "velero", "server"), tf`system:serviceaccount:${ref("var.velero_namespace")}:${ref("var.velero_service_account")}`);
    backups.addResource("azurerm_role_assignment", "velero", { scope: container, role_definition_name: "Storage Blob Data Contributor", principal_id: velero, principal_type: "ServicePrincipal" });
    for (const c of azureBackupIdentities(model)) {
      const id = tfName("postgres", c.namespace, c.database);
      const principal = managedIdentity(id, azureIdentityName(model, c.namespace, c.serviceAccount), azureSubject(c.namespace, c.serviceAccount), `${c.namespace}/${c.serviceAccount}`);
      // ABAC: blob operations only below the Cluster's namespace prefix (listing the container stays allowed).
      const denied = BLOB_ACTIONS.map((a) => `!(ActionMatches{'${a}'})`).join(" AND ");
      backups.addResource("azurerm_role_assignment", id, {
        scope: container,
        role_definition_name: "Storage Blob Data Contributor",
        principal_id: principal,
        principal_type: "ServicePrincipal",
        condition_version: "2.0",
        condition: `((${denied}) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '${c.prefix}/'))`,
        description: `finc: WAL archive and base backups of ${c.database} in ${c.namespace}`,
      });
    }
    azureDrillReaders(model, managedIdentity, backups, container);
    outputs.output["backup_storage_account"] = { description: `Velero's BackupStorageLocation (provider azure: resourceGroup ${rg}, storageAccount, container ${AZURE_BACKUP_CONTAINER}, useAAD true); CloudNativePG archives under postgres/<namespace>/.`, value: ref("azurerm_storage_account.backups.name") };
    outputs.output["velero_client_id"] = { description: "Annotate Velero's service account with it (azure.workload.identity/client-id) and label its pods azure.workload.identity/use=true.", value: ref("azurerm_user_assigned_identity.velero.client_id") };
  }

  // Azure DNS: a zone per parent domain of the exposed hosts, which external-dns (its own identity) may edit.
  if (zones.length) {
    vars.variable["external_dns_namespace"] = { type: "string", default: "external-dns", description: "The namespace external-dns runs in." };
    vars.variable["external_dns_service_account"] = { type: "string", default: "external-dns", description: "external-dns's service account." };
    const principal = managedIdentity("external_dns", azureIdentityName(model, "dns", "external-dns"), tf`system:serviceaccount:${ref("var.external_dns_namespace")}:${ref("var.external_dns_service_account")}`);
    const servers: Record<string, TfValue> = {};
    for (const zone of zones) {
      const id = tfName(zone.replace(/\./g, "_"));
      dns.addResource("azurerm_dns_zone", id, { name: zone, resource_group_name: rg, tags: tags(model) });
      dns.addResource("azurerm_role_assignment", tfName("external_dns", id), { scope: ref(`azurerm_dns_zone.${id}.id`), role_definition_name: "DNS Zone Contributor", principal_id: principal, principal_type: "ServicePrincipal" });
      servers[zone] = ref(`azurerm_dns_zone.${id}.name_servers`);
    }
    outputs.output["dns_name_servers"] = { description: "Delegate each zone to these name servers at its parent.", value: servers };
    outputs.output["external_dns_client_id"] = { description: `Annotate external-dns's service account with it (azure.workload.identity/client-id); run it with --provider=azure, resourceGroup ${rg}, useWorkloadIdentityExtension true.`, value: ref("azurerm_user_assigned_identity.external_dns.client_id") };
  }

  // The AKS control plane (issue 12, items 3 and 5): finc reads the cluster, it does not own it.
  if (p.cluster) {
    issuerUrl();
    const post: Body[] = [{
      condition: ref("self.oidc_issuer_enabled"),
      error_message: "The AKS cluster must run its OIDC issuer (oidc_issuer_enabled) for Azure Workload Identity: set it as the output aks_cluster_settings says.",
    }];
    if (keyId) post.push({
      condition: ref(`length(self.key_management_service) > 0 && startswith(self.key_management_service[0].key_vault_key_id, ${key!.managed ? "azurerm_key_vault_key.platform.versionless_id" : "data.azurerm_key_vault_key.platform.versionless_id"})`),
      error_message: "The AKS cluster must encrypt Secrets in etcd with the platform's Key Vault key (KMS, PCI DSS 3.5.1): set key_management_service as the output aks_cluster_settings says.",
    });
    const data = controlPlane.data["azurerm_kubernetes_cluster"]!["this"]!;
    data["lifecycle"] = [{ postcondition: post }];
    if (pciScoped(model)) {
      controlPlane.addResource("azurerm_log_analytics_workspace", "aks_audit", { name: `${p.cluster}-audit`.slice(0, 63), resource_group_name: rg, location, sku: "PerGB2018", retention_in_days: AUDIT_RETENTION_DAYS, tags: tags(model) });
      controlPlane.addResource("azurerm_monitor_diagnostic_setting", "aks_audit", {
        name: "finc-audit",
        target_resource_id: ref("data.azurerm_kubernetes_cluster.this.id"),
        log_analytics_workspace_id: ref("azurerm_log_analytics_workspace.aks_audit.id"),
        log_analytics_destination_type: "Dedicated",
        // kube-audit: every API request (PCI DSS 10.2.1); guard: Entra ID authentications.
        enabled_log: [{ category: "kube-audit" }, { category: "guard" }],
      });
    }
    outputs.output["aks_cluster_settings"] = {
      description: "What the AKS cluster's own configuration must set: the OIDC issuer and workload identity, and Secrets in etcd encrypted with the platform's Key Vault key (KMS).",
      value: {
        oidc_issuer_enabled: true,
        workload_identity_enabled: true,
        key_management_service: { key_vault_key_id: keyId ?? "<the platform has no kms key: declare `kms` on the platform>", key_vault_network_access: "Public" },
      },
    };
  }

  if (Object.keys(clientIds).length) {
    outputs.output["workload_client_ids"] = { description: "The managed identity's client ID of each Kubernetes ServiceAccount (namespace/name).", value: clientIds };
    outputs.output["client_ids_field"] = { description: clientIdsFieldDescription(model), value: tf`client-ids ${joinTf(fieldLines, ", ")}` };
  }

  const header: Body = {
    terraform: { required_version: ">= 1.5.0", required_providers: { azurerm: { source: "hashicorp/azurerm", version: "~> 5.0" } } },
    provider: { azurerm: [{ features: [{}], subscription_id: p.account!, ...(p.tenant ? { tenant_id: p.tenant } : {}) }] },
  };
  const put = (name: string, f: Record<string, TfValue> | undefined) => f && files.set(name, f);
  put("main.tf.json", main.file(header));
  put("variables.tf.json", vars.file());
  put("identity.tf.json", identity.file());
  put("kms.tf.json", kms.file());
  put("backups.tf.json", backups.file());
  put("dns.tf.json", dns.file());
  put("control-plane.tf.json", controlPlane.file());
  put("audit-logs.tf.json", azureAuditLogsFile(model)); // write-once AKS audit log (azure-audit.ts)
  put("node-pools.tf.json", azureNodePoolFiles(model)); // AKS node pools (azure-node-pools.ts)
  put("budgets.tf.json", budgets);
  put("outputs.tf.json", outputs.file());
  for (const [name, f] of azureMonitorTerraformFiles(model)) files.set(name, f); // monitoring azure-monitor (emit/cloud-monitoring)
  return files;
}

/** The vault the key lives in (an existing one, in the platform's resource group). */
function vaultIdForKms(kms: TfBlocks, vault: string, rg: string): TfTemplate {
  kms.addData("azurerm_key_vault", "kms", { name: vault, resource_group_name: rg });
  return ref("data.azurerm_key_vault.kms.id");
}

/** The tags of every Azure resource finc creates. */
export function tags(model: PlatformModel): Body {
  return { "app.kubernetes.io/managed-by": "finc", "app.kubernetes.io/part-of": model.platform.name, "finc.dev/environment": model.environment };
}

function joinTf(parts: readonly Tf[], sep: string): TfTemplate {
  const strings = parts.map((_, i) => (i === 0 ? "" : sep));
  return tf(Object.assign([...strings, ""], { raw: [...strings, ""] }) as unknown as TemplateStringsArray, ...parts);
}
