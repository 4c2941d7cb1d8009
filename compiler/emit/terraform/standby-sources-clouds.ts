import { AZURE_BACKUP_CONTAINER, azureBackupIdentities, resourceGroupId } from "../../model/cloud-azure.js";
import { gcpBackupIdentities } from "../../model/cloud-gcp.js";
import type { StandbySource } from "../../model/cluster-topology.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { ref, tf, tfName, type TfValue } from "./json.js";
import { TfBlocks } from "./module-blocks.js";

type Body = Record<string, TfValue>;
type Sources = Readonly<Record<string, StandbySource>>;

/**
 * gcp: the standby's replica Cluster reads the primary's dual-region bucket (created by the
 * primary's root, so named, not referenced) with its own Google service account — the one gcp.ts
 * creates in this root for its own backups — as `roles/storage.objectViewer` conditioned on its
 * namespace's prefix (and the bucket itself, which listing names): it can never write or delete there.
 */
export function gcpStandbySources(model: PlatformModel, sources: Sources): Body | undefined {
  const blocks = new TfBlocks();
  for (const c of gcpBackupIdentities(model)) {
    const source = sources[c.database];
    if (!source) continue;
    const id = tfName("postgres", c.namespace, c.database);
    blocks.addResource("google_storage_bucket_iam_member", `${id}_source`, {
      bucket: source.bucket,
      role: "roles/storage.objectViewer",
      member: tf`serviceAccount:${ref(`google_service_account.${id}.email`)}`,
      condition: [{
        title: `finc-${c.namespace}-primary-archive`.slice(0, 100),
        description: `Read only ${c.prefix}/ of the primary's backup bucket`,
        expression: `resource.name == "projects/_/buckets/${source.bucket}" || resource.name.startsWith("projects/_/buckets/${source.bucket}/objects/${c.prefix}/")`,
      }],
    });
  }
  return blocks.file();
}

/**
 * azure: the standby's replica Cluster reads the primary's storage account (RA-GZRS, through its
 * secondary endpoint) with its own managed identity — the one azure.ts creates in this root for its
 * own backups — as Storage Blob Data Reader on the primary's `backups` container (a resource ID,
 * known before the primary's root is applied), with an ABAC condition on its namespace's prefix.
 */
export function azureStandbySources(model: PlatformModel, sources: Sources): Body | undefined {
  const blocks = new TfBlocks();
  const read = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
  for (const c of azureBackupIdentities(model)) {
    const source = sources[c.database];
    if (!source) continue;
    const id = tfName("postgres", c.namespace, c.database);
    blocks.addResource("azurerm_role_assignment", `${id}_source`, {
      scope: `${resourceGroupId(model)}/providers/Microsoft.Storage/storageAccounts/${source.bucket}/blobServices/default/containers/${AZURE_BACKUP_CONTAINER}`,
      role_definition_name: "Storage Blob Data Reader",
      principal_id: ref(`azurerm_user_assigned_identity.${id}.principal_id`),
      principal_type: "ServicePrincipal",
      condition_version: "2.0",
      condition: `((!(ActionMatches{'${read}'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '${c.prefix}/'))`,
      description: `finc: read the primary's WAL archive and base backups of ${c.database} in ${c.namespace}`,
    });
  }
  return blocks.file();
}
