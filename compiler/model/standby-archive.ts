import { AZURE_BACKUP_CONTAINER, azureBackupAccountName, azureReady } from "./cloud-azure.js";
import { gcsBackupBucketName } from "./cloud-gcp.js";
import { postgresBackupPrefix, primaryRegion, replicaBackupBucketName } from "./cloud-model.js";
import type { PlatformModel } from "./platform-model.js";

/**
 * Where a standby cluster in `region` reads the primary's WAL archive and base backups, per cloud
 * (model/cluster-topology.ts, emit/postgres/replica.ts, emit/terraform/standby-sources.ts):
 *
 * - aws: the primary bucket's S3 replica in that region (`<prefix>-backups-<region>-<account>`);
 * - gcp: the primary's bucket itself, dual-region over both regions (one name, stored in both):
 *   GCS pairs regions of one continent only (MULTI_REGION, as gcp.ts places the bucket);
 * - azure: the primary's storage account through its secondary endpoint
 *   `https://<account>-secondary.blob.core.windows.net`, which geo-replication keeps in the
 *   primary's PAIRED region (AZURE_PAIRED_REGION) and which is readable only with RA-GZRS.
 */

/** GCS dual-regions are configured inside one multi-region: its code per region prefix. */
export const GCS_MULTI_REGION: Readonly<Record<string, string>> = { europe: "EU", us: "US", northamerica: "US", asia: "ASIA" };

/** Can one GCS dual-region bucket hold both regions (the same continent's multi-region)? */
export function gcsDualRegionPossible(a: string, b: string): boolean {
  const multi = GCS_MULTI_REGION[a.split("-")[0]!];
  return multi !== undefined && multi === GCS_MULTI_REGION[b.split("-")[0]!];
}

/**
 * Azure's region pairs (learn.microsoft.com, "Azure region pairs and nonpaired regions"): GZRS and
 * RA-GZRS copy a storage account to the primary region's pair, never to a region of one's choice.
 * Regions without a pair (Poland Central, Italy North, …) have no geo-redundant storage at all.
 */
export const AZURE_PAIRED_REGION: Readonly<Record<string, string>> = {
  eastus: "westus", westus: "eastus", eastus2: "centralus", centralus: "eastus2", northcentralus: "southcentralus",
  southcentralus: "northcentralus", westus2: "westcentralus", westcentralus: "westus2", westus3: "eastus",
  canadacentral: "canadaeast", canadaeast: "canadacentral", brazilsouth: "southcentralus",
  northeurope: "westeurope", westeurope: "northeurope", uksouth: "ukwest", ukwest: "uksouth",
  francecentral: "francesouth", francesouth: "francecentral", germanywestcentral: "germanynorth", germanynorth: "germanywestcentral",
  switzerlandnorth: "switzerlandwest", switzerlandwest: "switzerlandnorth", norwayeast: "norwaywest", norwaywest: "norwayeast",
  swedencentral: "swedensouth", swedensouth: "swedencentral",
  eastasia: "southeastasia", southeastasia: "eastasia", japaneast: "japanwest", japanwest: "japaneast",
  koreacentral: "koreasouth", koreasouth: "koreacentral", australiaeast: "australiasoutheast", australiasoutheast: "australiaeast",
  australiacentral: "australiacentral2", australiacentral2: "australiacentral", centralindia: "southindia", southindia: "centralindia",
  westindia: "southindia", southafricanorth: "southafricawest", southafricawest: "southafricanorth", uaenorth: "uaecentral", uaecentral: "uaenorth",
};

/**
 * Why `replicate to <replica>` cannot put the backups where a replica there reads them on this
 * cloud, or undefined when it can (aws always can: S3 replicates to any region).
 */
export function replicaRegionProblem(model: PlatformModel, replica: string): string | undefined {
  const primary = primaryRegion(model);
  if (!primary || primary === replica) return undefined;
  switch (model.platform.cloud) {
    case "gcp":
      return gcsDualRegionPossible(primary, replica)
        ? undefined
        : `a GCS dual-region bucket pairs two regions of one continent (EU, US or ASIA), and ${primary} and ${replica} are not: the backup bucket stays in ${primary} alone`;
    case "azure": {
      const pair = AZURE_PAIRED_REGION[primary];
      if (pair === replica) return undefined;
      return pair
        ? `Azure geo-redundant storage (GZRS) copies the backup storage account to ${primary}'s paired region, ${pair}, not to ${replica}`
        : `finc knows no paired region of ${primary} (Azure geo-redundant storage copies an account only to its region's pair, and some regions have none)`;
    }
    default:
      return undefined;
  }
}

/**
 * The store the standby in `region` reads the primary's archive from — the S3 bucket replica, the
 * dual-region GCS bucket, or the Azure storage account — from the PRIMARY's model, when there is one.
 */
export function standbyArchiveStore(primaryView: PlatformModel, region: string): string | undefined {
  const p = primaryView.platform;
  switch (p.cloud) {
    case "aws":
      return replicaBackupBucketName(primaryView, region);
    case "gcp":
      // GKE Workload Identity binds the Cluster's ServiceAccount only with the cluster named (objectStorePath agrees).
      return p.cluster && !replicaRegionProblem(primaryView, region) ? gcsBackupBucketName(primaryView) : undefined;
    case "azure":
      return azureReady(primaryView) && !replicaRegionProblem(primaryView, region) ? azureBackupAccountName(primaryView) : undefined;
    default:
      return undefined;
  }
}

/** What the platform lacks for a standby's archive store on its cloud (FIN4082's reason and fix), when it lacks something. */
export function standbyArchiveGap(model: PlatformModel, region: string): { missing: string; fix: string } | undefined {
  const p = model.platform;
  switch (p.cloud) {
    case "aws":
      return p.account ? undefined : { missing: "finc knows no backup bucket (`cloud aws` with the platform's `account`) to replicate", fix: "Set the platform's `account`" };
    case "gcp":
      // A region GCS cannot pair with the primary is FIN4100 at `replicate` (check-database-replica.ts), not a second report here.
      return p.account ? undefined : { missing: "finc knows no backup bucket (`cloud gcp` names it after the platform's `account`, the project)", fix: "Set the platform's `account` (the GCP project)" };
    case "azure":
      // Likewise a region that is not the primary's pair (FIN4100).
      return azureReady(model) ? undefined : { missing: "finc knows no backup storage account (`cloud azure` names it after the platform's `account` and `resource-group`)", fix: "Set the platform's `account` (the subscription) and `resource-group`" };
    default:
      return { missing: `finc writes no backup object store on \`cloud ${p.cloud}\``, fix: "Run the platform on aws, gcp or azure" };
  }
}

/** The standby replica's `externalClusters` barman object store: the primary's archive of `namespace`, as this cloud reads it. */
export function standbyArchiveObjectStore(model: PlatformModel, store: string, namespace: string): Record<string, unknown> {
  const prefix = postgresBackupPrefix(namespace);
  switch (model.platform.cloud) {
    case "gcp":
      return { destinationPath: `gs://${store}/${prefix}`, googleCredentials: { gkeEnvironment: true } };
    case "azure":
      // RA-GZRS's read-only secondary endpoint: in the standby's region, readable while the primary region is down.
      return { destinationPath: `https://${store}-secondary.blob.core.windows.net/${AZURE_BACKUP_CONTAINER}/${prefix}`, azureCredentials: { inheritFromAzureAD: true } };
    default:
      return { destinationPath: `s3://${store}/${prefix}`, s3Credentials: { inheritFromIAMRole: true } };
  }
}

/**
 * The backup storage account's redundancy on azure: RA-GZRS when another cluster (a standby) of this
 * environment reads it from the paired region (the secondary endpoint is readable only then),
 * GZRS with `replicate to` alone, ZRS otherwise.
 */
export function azureBackupReplication(model: PlatformModel, replicated: boolean): "RAGZRS" | "GZRS" | "ZRS" {
  if (!replicated) return "ZRS";
  const pair = AZURE_PAIRED_REGION[primaryRegion(model) ?? ""];
  const here = model.cluster;
  const standbyReads = !!here && here.peers.some((c) => c.name !== here.name && c.region === pair) && model.databases.some((d) => d.backup && d.replicateTo === pair);
  return standbyReads ? "RAGZRS" : "GZRS";
}

/** What bounds the backups' copy into the replica's region at 15 minutes (RECOVERY_ASSUMPTIONS.s3ReplicationMs), per cloud. */
export function geoReplicationName(model: PlatformModel): string {
  switch (model.platform.cloud) {
    case "gcp":
      return "GCS turbo replication's RPO of 15 minutes";
    case "azure":
      return "Azure geo-replication, typically within 15 minutes, without an SLA";
    default:
      return "S3 Replication Time Control";
  }
}
