import { AZURE_BACKUP_CONTAINER, azureBackupAccountName, azureClientId, azureReady } from "./cloud-azure.js";
import { clientIdsOwner, clientIdsPastePlace } from "./cluster-client-ids.js";
import { gcsBackupBucketName, gsaAccountId, gsaEmail } from "./cloud-gcp.js";
import { backupBucketName, iamRoleName, postgresBackupPrefix, primaryRegion } from "./cloud-model.js";
import type { DrillProblem, DrillStore } from "./drill-model.js";
import { cloudServiceHosts } from "./egress-model.js";
import type { DatabaseModel, PlatformModel } from "./platform-model.js";

/**
 * A drill per cloud (issue 13 item 6): it restores from the object store the database's Cluster
 * archives to (emit/postgres/backup.ts's destinationPath; barman-cloud's layout below it is the
 * same on every cloud: `<server>/base/<backup id>/…` and `<server>/wals/…`), as a ServiceAccount
 * of its own bound to a read-only cloud identity (the terraform target creates it): IRSA on AWS,
 * GKE Workload Identity on GCP, Azure Workload Identity on Azure.
 */

/**
 * GKE's metadata server, where Workload Identity's tokens come from: 169.254.169.254:80 as pods
 * see it under GKE Dataplane V2, 169.254.169.252:988 where the node's own agent serves it
 * (clusters without Dataplane V2). NetworkPolicy must admit both: which one a cluster uses is not in the spec.
 */
export const GKE_METADATA_SERVER = [{ cidr: "169.254.169.254/32", port: 80 }, { cidr: "169.254.169.252/32", port: 988 }] as const;

/** Why the database's archive (or the drill's identity) is not there on this cloud, or undefined. */
export function drillStoreProblem(model: PlatformModel, db: DatabaseModel, serviceAccount: string): DrillProblem | undefined {
  const p = model.platform;
  switch (p.cloud) {
    case "aws":
      return p.account ? undefined : {
        code: "FIN4077",
        why: "its backups are volume snapshots: on `cloud aws` WAL is archived to the backup bucket only with the platform's `account` (the bucket is named after it)",
        hint: 'Add `account "<AWS account ID>"` and `cluster "<EKS cluster>"` to the platform (the backup bucket, and the drill\'s read-only IAM role).',
      };
    case "gcp": {
      const missing = [...(p.account ? [] : ["`account` (the project)"]), ...(p.cluster ? [] : ["`cluster` (the GKE cluster whose Workload Identity binds the Cluster's and the drill's ServiceAccounts)"])];
      return missing.length ? {
        code: "FIN4077",
        why: `its backups are volume snapshots: on \`cloud gcp\` CloudNativePG archives to the GCS backup bucket only with the platform's ${missing.join(" and ")}`,
        hint: `Add ${[...(p.account ? [] : ['`account "<project id>"`']), ...(p.cluster ? [] : ['`cluster "<GKE cluster>"`'])].join(" and ")} to the platform.`,
      } : undefined;
    }
    case "azure": {
      if (!azureReady(model)) return {
        code: "FIN4077",
        why: "its backups are volume snapshots: on `cloud azure` the backup storage account is named only with the platform's `account` (the subscription) and `resource-group`",
        hint: 'Add `account "<subscription id>"` and `resource-group "<name>"` to the platform.',
      };
      // Azure picks a managed identity's client ID when terraform creates it: until the platform carries both, neither the Cluster archives nor the drill can sign in.
      const without = [`${db.namespace}/${db.name}`, `${db.namespace}/${serviceAccount}`].filter((k) => !p.clientIds?.[k]);
      return without.length ? {
        code: "FIN4103",
        why: `the managed identit${without.length === 1 ? "y" : "ies"} of ${without.join(" and ")} ${without.length === 1 ? "has" : "have"} no client ID in ${clientIdsOwner(model)} \`client-ids\` yet (Azure picks it when the terraform target creates the identity)${without.includes(`${db.namespace}/${db.name}`) ? ", and until then the Cluster's backups are volume snapshots" : ""}`,
        hint: `Apply the terraform target, then paste its output \`client_ids_field\` into ${clientIdsPastePlace(model)}; it carries ${without.map((k) => `"${k}"`).join(" and ")}.`,
      } : undefined;
    }
    default:
      return {
        code: "FIN4077",
        why: `on \`cloud ${p.cloud}\` finc creates no object store: its backups are volume snapshots, with no base backup and WAL archive to restore from`,
        hint: "Drills restore from the object store finc creates on `cloud aws`, `gcp` or `azure`; on premises, restore a Velero backup into a scratch namespace instead.",
      };
  }
}

/** The object store the database's Cluster archives to (the same path emit/postgres/backup.ts writes as destinationPath). */
export function drillStore(model: PlatformModel, db: DatabaseModel): DrillStore | undefined {
  const prefix = postgresBackupPrefix(db.namespace);
  switch (model.platform.cloud) {
    case "aws": {
      const bucket = backupBucketName(model);
      return bucket ? { provider: "aws-s3", bucket, prefix, url: `s3://${bucket}/${prefix}` } : undefined;
    }
    case "gcp": {
      const bucket = gcsBackupBucketName(model);
      return bucket ? { provider: "google-cloud-storage", bucket, prefix, url: `gs://${bucket}/${prefix}` } : undefined;
    }
    case "azure": {
      const account = azureBackupAccountName(model);
      const accountUrl = `https://${account}.blob.core.windows.net`;
      return account ? { provider: "azure-blob-storage", bucket: AZURE_BACKUP_CONTAINER, account, accountUrl, prefix, url: `${accountUrl}/${AZURE_BACKUP_CONTAINER}/${prefix}`, credential: "managed-identity" } : undefined;
    }
    default:
      return undefined;
  }
}

/** The drill ServiceAccount's binding to its read-only cloud identity (names as the terraform target creates them). */
export function drillIdentity(model: PlatformModel, namespace: string, serviceAccount: string): { annotations: Record<string, string>; podLabels: Record<string, string>; roleArn?: string } | undefined {
  const p = model.platform;
  switch (p.cloud) {
    case "aws": {
      const roleArn = p.account && p.cluster ? `arn:aws:iam::${p.account}:role/${iamRoleName(model, namespace, serviceAccount)}` : undefined;
      return roleArn ? { annotations: { "eks.amazonaws.com/role-arn": roleArn }, podLabels: {}, roleArn } : { annotations: {}, podLabels: {} };
    }
    case "gcp":
      return p.account ? { annotations: { "iam.gke.io/gcp-service-account": gsaEmail(p.account, gsaAccountId(model, namespace, serviceAccount)) }, podLabels: {} } : undefined;
    case "azure": {
      const id = azureClientId(model, namespace, serviceAccount);
      return id ? { annotations: { "azure.workload.identity/client-id": id, ...(p.tenant ? { "azure.workload.identity/tenant-id": p.tenant } : {}) }, podLabels: { "azure.workload.identity/use": "true" } } : undefined;
    }
    default:
      return undefined;
  }
}

/** What the drill reaches, for the needs file: the object store's endpoint and where its identity's tokens come from. */
export function drillEgress(model: PlatformModel, store: DrillStore): { to: string; port: number }[] {
  switch (store.provider) {
    case "aws-s3": {
      const region = primaryRegion(model);
      return region ? [{ to: `s3.${region}.amazonaws.com`, port: 443 }] : [];
    }
    // The cloud's storage endpoints as a service's `egress <cloud> storage` names them (on Azure every account's `*.blob.core.windows.net`, and Entra ID's token endpoint).
    case "google-cloud-storage":
      return [...cloudServiceHosts("gcp", "storage", []).map((to) => ({ to, port: 443 })), { to: GKE_METADATA_SERVER[0].cidr, port: GKE_METADATA_SERVER[0].port }];
    case "azure-blob-storage":
      return cloudServiceHosts("azure", "storage", []).map((to) => ({ to, port: 443 }));
  }
}
