import { azureBackupAccountName, azureClientId } from "./cloud-azure.js";
import { gcsBackupBucketName } from "./cloud-gcp.js";
import { backupBucketName } from "./cloud-model.js";
import type { DatabaseModel, PlatformModel } from "./platform-model.js";

/**
 * Does the operator archive this database's WAL to an object store (point-in-time recovery, and what
 * a replica in another region replays)? The conditions emit/postgres/backup.ts's objectStorePath
 * writes a store under, per cloud — S3 with `account`; GCS with `account` and `cluster` (GKE Workload
 * Identity); Azure Blob with `account`, `resource-group` and the Cluster's client ID — read here
 * without the emitter, for the recovery estimates (model/recovery.ts).
 */
export function walArchiveStoreKnown(model: PlatformModel, db: DatabaseModel): boolean {
  const p = model.platform;
  switch (p.cloud) {
    case "aws":
      return backupBucketName(model) !== undefined;
    case "gcp":
      return !!p.cluster && gcsBackupBucketName(model) !== undefined;
    case "azure":
      return azureBackupAccountName(model) !== undefined && azureClientId(model, db.namespace, db.name) !== undefined;
    default:
      return false;
  }
}
