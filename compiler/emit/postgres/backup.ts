import { backupBucketName, backupRoleArn as cloudBackupRoleArn, postgresBackupPrefix } from "../../model/cloud-model.js";
import { gcsBackupBucketName } from "../../model/cloud-gcp.js";
import { AZURE_BACKUP_CONTAINER, azureBackupAccountName, azureClientId } from "../../model/cloud-azure.js";
import { podIdentityLabels, serviceAccountAnnotations } from "../../model/cloud-identity.js";
import type { DatabaseModel, PlatformModel } from "../../model/platform-model.js";
import { cronFor } from "../backup/index.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";

/** The CSI snapshot class the backup target emits (emit/backup). */
export const SNAPSHOT_CLASS = "finc-snapshots";

type Backed = DatabaseModel & { backup: NonNullable<DatabaseModel["backup"]> };

/** Where the operator archives WAL and base backups: `s3://<environment's backup bucket>/postgres/<namespace>` (the Cluster's name below it). */
export function objectStorePath(model: PlatformModel, db: DatabaseModel): string | undefined {
  const prefix = postgresBackupPrefix(db.namespace);
  switch (model.platform.cloud) {
    case "gcp": {
      // GKE Workload Identity: the Cluster's ServiceAccount must be bound, which needs the project and the cluster.
      const bucket = model.platform.cluster ? gcsBackupBucketName(model) : undefined;
      return bucket ? `gs://${bucket}/${prefix}` : undefined;
    }
    case "azure": {
      const account = azureBackupAccountName(model);
      // Azure Workload Identity needs the managed identity's client ID on the ServiceAccount (`client-ids`).
      return account && azureClientId(model, db.namespace, db.name) ? `https://${account}.blob.core.windows.net/${AZURE_BACKUP_CONTAINER}/${prefix}` : undefined;
    }
    default: {
      const bucket = backupBucketName(model);
      return bucket ? `s3://${bucket}/${prefix}` : undefined;
    }
  }
}

/** How barman-cloud authenticates: the pod's cloud identity on every cloud (IRSA, GKE Workload Identity, Azure Workload Identity). */
function objectStoreCredentials(model: PlatformModel): Record<string, unknown> {
  switch (model.platform.cloud) {
    case "gcp":
      return { googleCredentials: { gkeEnvironment: true } };
    case "azure":
      return { azureCredentials: { inheritFromAzureAD: true } };
    default:
      // IRSA: EKS's pod identity webhook also sets AWS_REGION in the pods, so barman-cloud finds the bucket's region.
      return { s3Credentials: { inheritFromIAMRole: true } };
  }
}

/** barman-cloud retention: whole days, at least one. */
export function retentionPolicy(keepMs: number): string {
  return `${Math.max(1, Math.ceil(keepMs / 86_400_000))}d`;
}

/** CloudNativePG's schedule has six fields, seconds first. */
export function cnpgSchedule(everyMs: number): string {
  return `0 ${cronFor(everyMs)}`;
}

/**
 * The Cluster's `backup`: continuous WAL archiving and base backups to the object store with
 * `retentionPolicy` from `keep` (point-in-time recovery anywhere in that window); the pods
 * reach S3 with the IAM role of their service account. Without an object store finc knows,
 * CSI volume snapshots (no WAL archive, so recovery to the snapshot only).
 */
export function clusterBackup(model: PlatformModel, db: Backed): Record<string, unknown> {
  const path = objectStorePath(model, db);
  if (!path) return { volumeSnapshot: { className: SNAPSHOT_CLASS, online: true } };
  return {
    barmanObjectStore: {
      destinationPath: path,
      ...objectStoreCredentials(model),
      wal: { compression: "gzip", maxParallel: 4 },
      data: { compression: "gzip", jobs: 2 },
    },
    retentionPolicy: retentionPolicy(db.backup.keepMs),
  };
}

/** The role the Cluster's service account assumes for S3 (IRSA), when the platform names the account and the EKS cluster (the terraform target creates it). */
export function backupRoleArn(model: PlatformModel, db: DatabaseModel): string | undefined {
  return objectStorePath(model, db) ? cloudBackupRoleArn(model, db.namespace, db.name) : undefined;
}

/**
 * The annotations of the Cluster's ServiceAccount (serviceAccountTemplate) binding it to the identity the
 * terraform target creates for its backups, and the pod labels that identity needs (Azure's webhook).
 */
export function backupIdentityMetadata(model: PlatformModel, db: DatabaseModel): { annotations: Record<string, string>; podLabels: Record<string, string> } {
  if (!db.backup || !objectStorePath(model, db)) return { annotations: {}, podLabels: {} };
  if (model.platform.cloud === "aws") {
    const arn = backupRoleArn(model, db);
    return { annotations: arn ? { "eks.amazonaws.com/role-arn": arn } : {}, podLabels: {} };
  }
  return { annotations: serviceAccountAnnotations(model, db.namespace, db.name), podLabels: podIdentityLabels(model, db.namespace, db.name) };
}

/** `backup every …`: a base backup on that schedule (the first one right away); WAL is archived continuously in between. */
export function scheduledBackupDocument(model: PlatformModel, db: Backed): EmittedDocument {
  return document(`${db.namespace}/scheduledbackup-${db.name}.yaml`, {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "ScheduledBackup",
    metadata: metadata(db.name, db.namespace, labels(model, db.name, "backup")),
    spec: {
      cluster: { name: db.name },
      schedule: cnpgSchedule(db.backup.everyMs),
      immediate: true,
      backupOwnerReference: "self",
      method: objectStorePath(model, db) ? "barmanObjectStore" : "volumeSnapshot",
    },
  }, db.fields["backup"] ?? db.origin, { "/spec/schedule": db.fields["backup"] });
}
