import { azureIdentityName, azureSubject } from "../../model/cloud-azure.js";
import { drillReaders } from "../../model/drill-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { tfName, type TfTemplate, type TfValue } from "./json.js";
import type { TfBlocks } from "./module-blocks.js";

/** azure.ts's managed identity only `<ns>/<sa>` can federate to; with `key`, its client ID joins the output `client_ids_field`. */
type ManagedIdentity = (id: string, name: string, subject: string, key?: string) => TfTemplate;

const BLOB_READ = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
const BLOB = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";

/**
 * The ABAC condition of a drill's `Storage Blob Data Reader`: reading a blob only below the
 * archive prefix, and listing only with a prefix below it (barman-cloud lists `<prefix>/<server>/…`);
 * the Blob.List suboperation has no blob path, so each gets its own clause (Azure's documented form).
 */
export function drillReadCondition(prefix: string): string {
  return `((!(ActionMatches{'${BLOB_READ}'} AND NOT SubOperationMatches{'Blob.List'})) OR (@Resource[${BLOB}:path] StringStartsWith '${prefix}/'))` +
    ` AND ((!(ActionMatches{'${BLOB_READ}'} AND SubOperationMatches{'Blob.List'})) OR (@Request[${BLOB}:prefix] StringStartsWith '${prefix}/'))`;
}

/**
 * Restore drills on Azure Blob (emit/drills): each drill's ServiceAccount gets a managed identity
 * of its own (federated to that ServiceAccount only, its client ID in `client_ids_field`) with
 * `Storage Blob Data Reader` on the backup container, conditioned to its database's archive prefix.
 */
export function azureDrillReaders(model: PlatformModel, managedIdentity: ManagedIdentity, backups: TfBlocks, container: TfValue): void {
  for (const d of drillReaders(model)) {
    const id = tfName("drill", d.namespace, d.database);
    const principal = managedIdentity(id, azureIdentityName(model, d.namespace, d.serviceAccount), azureSubject(d.namespace, d.serviceAccount), `${d.namespace}/${d.serviceAccount}`);
    backups.addResource("azurerm_role_assignment", id, {
      scope: container,
      role_definition_name: "Storage Blob Data Reader",
      principal_id: principal,
      principal_type: "ServicePrincipal",
      condition_version: "2.0",
      condition: drillReadCondition(d.prefix),
      description: `finc: restore drills of ${d.database} in ${d.namespace} (read only)`,
    });
  }
}
