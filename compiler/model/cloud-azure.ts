import { backedUpDatabases, fnv8, postgresBackupPrefix, resourcePrefix } from "./cloud-model.js";
import type { PlatformModel } from "./platform-model.js";
import { secretStoreIdentities, serviceCloudIdentities, type CloudWorkloadIdentity } from "./cloud-secrets.js";

/**
 * Azure names (`cloud azure`: `account` is the subscription, plus `tenant` and `resource-group`)
 * shared by the terraform target, which creates the managed identities, keys, disk encryption
 * set and storage account, and the Kubernetes output, which refers to them
 * (azure.workload.identity/client-id, diskEncryptionSetID, the Blob container's URL).
 * Azure resource IDs are paths, known before anything is created; a managed identity's
 * client ID is not (Azure picks it): the platform's `client-ids` carry it back after apply.
 */

const dnsSafe = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]/g, "-");

/** A user-assigned identity's name (3–128 characters: letters, digits, `-`, `_`). */
export function azureIdentityName(model: PlatformModel, namespace: string, serviceAccount: string): string {
  const full = `${resourcePrefix(model)}-${namespace}-${serviceAccount}`;
  return full.length <= 128 ? full : `${full.slice(0, 119)}-${fnv8(full)}`;
}

/** The Kubernetes subject a federated identity credential trusts. */
export function azureSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/** `https://<vault>.vault.azure.net[/]` → `<vault>` (Key Vault names: 3–24 letters, digits and `-`). */
export function keyVaultName(url: string): string | undefined {
  return /^https:\/\/([A-Za-z0-9-]{3,24})\.vault\.azure\.net\/?$/.exec(url)?.[1];
}

/** The CloudNativePG Clusters archiving to the Blob container. */
export function azureBackupIdentities(model: PlatformModel): { database: string; namespace: string; serviceAccount: string; prefix: string }[] {
  if (model.platform.cloud !== "azure" || !azureReady(model)) return [];
  return backedUpDatabases(model).filter((d) => d.mode === "operator").map((d) => ({ database: d.name, namespace: d.namespace, serviceAccount: d.name, prefix: postgresBackupPrefix(d.namespace) }));
}

/** Every Kubernetes ServiceAccount bound to a managed identity: services reading Key Vault, SecretStores, backed-up databases. */
export function azureIdentities(model: PlatformModel): CloudWorkloadIdentity[] {
  if (model.platform.cloud !== "azure" || !azureReady(model)) return [];
  return [...serviceCloudIdentities(model, "azure"), ...secretStoreIdentities(model, "azure")];
}

/** Does the ServiceAccount `<ns>/<sa>` get a managed identity (and so the workload-identity annotation and pod label)? */
export function hasAzureIdentity(model: PlatformModel, namespace: string, serviceAccount: string): boolean {
  return azureIdentities(model).some((w) => w.namespace === namespace && w.serviceAccount === serviceAccount) ||
    azureBackupIdentities(model).some((b) => b.namespace === namespace && b.serviceAccount === serviceAccount);
}

/** The managed identity's client ID for `<ns>/<sa>`, from the platform's `client-ids` (terraform's output `client_ids_field` prints them). */
export function azureClientId(model: PlatformModel, namespace: string, serviceAccount: string): string | undefined {
  return model.platform.clientIds?.[`${namespace}/${serviceAccount}`];
}

/** The subscription, tenant and resource group: what names every Azure resource. */
export function azureReady(model: PlatformModel): boolean {
  const p = model.platform;
  return p.cloud === "azure" && !!p.account && !!p.resourceGroup;
}

/** `/subscriptions/<sub>/resourceGroups/<rg>` */
export function resourceGroupId(model: PlatformModel): string {
  return `/subscriptions/${model.platform.account}/resourceGroups/${model.platform.resourceGroup}`;
}

/**
 * `kms "<vault>/<key>"`: the terraform target creates the key (rotation policy) in that vault; `kms
 * "https://<vault>.vault.azure.net/keys/<key>[/<version>]"`: an existing key. Disks are encrypted through a
 * disk encryption set `<prefix>-disks` finc creates, whose resource ID the StorageClasses name.
 */
export function azureKmsKey(model: PlatformModel): { vault: string; key: string; managed: boolean } | undefined {
  const p = model.platform;
  if (p.cloud !== "azure" || !p.kms || p.kms.startsWith("alias/")) return undefined;
  const managed = /^([A-Za-z0-9-]{3,24})\/([A-Za-z0-9-]{1,127})$/.exec(p.kms);
  if (managed) return { vault: managed[1]!, key: managed[2]!, managed: true };
  const existing = /^https:\/\/([A-Za-z0-9-]{3,24})\.vault\.azure\.net\/keys\/([A-Za-z0-9-]{1,127})(\/[0-9a-f]{32})?$/.exec(p.kms);
  return existing ? { vault: existing[1]!, key: existing[2]!, managed: false } : undefined;
}

export function diskEncryptionSetName(model: PlatformModel): string {
  return `${resourcePrefix(model)}-disks`.slice(0, 80);
}

/** The disk encryption set's resource ID (StorageClass `diskEncryptionSetID`), when `kms` and the resource group are known. */
export function diskEncryptionSetId(model: PlatformModel): string | undefined {
  if (!azureReady(model) || !azureKmsKey(model)) return undefined;
  return `${resourceGroupId(model)}/providers/Microsoft.Compute/diskEncryptionSets/${diskEncryptionSetName(model)}`;
}

/** The storage account of the backups: 3–24 lower-case letters and digits, globally unique (a hash of prefix and subscription). */
export function azureBackupAccountName(model: PlatformModel): string | undefined {
  if (!azureReady(model)) return undefined;
  const start = dnsSafe(resourcePrefix(model)).replace(/-/g, "").slice(0, 12);
  return `${start}bk${fnv8(`${resourcePrefix(model)}/${model.platform.account}`)}`;
}

export const AZURE_BACKUP_CONTAINER = "backups";
