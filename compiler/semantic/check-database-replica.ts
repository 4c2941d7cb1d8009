import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { CNPG_CLUSTER_NAME_MAX, primaryRegion, replicaClusterName } from "../model/cloud-model.js";
import type { PlatformModel } from "../model/platform-model.js";
import { AZURE_PAIRED_REGION, replicaRegionProblem } from "../model/standby-archive.js";

/**
 * `replicate to <region>` as a CloudNativePG replica cluster (emit/postgres/replica.ts). The
 * region rules — one of the platform's `regions`, not the primary, and `backup` present — are
 * FIN4030 in check-cloud.ts (codes are stable); residency applies to every platform region
 * (FIN4050), so to the replica's too. Here, what the replica cluster itself needs (FIN4055):
 * the operator (no standalone), an object store to recover from (volume snapshots stay in
 * their region and are not a WAL archive), and a Cluster name the operator accepts. FIN4100: on
 * gcp/azure, a region the cloud's geo-redundant storage cannot copy the backups to (GCS pairs one
 * continent's regions, Azure only the primary's paired region).
 */
export function checkDatabaseReplicas(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  const regions = p.regions.map((r) => r.name);
  for (const db of model.databases) {
    // Not a region of the platform, the primary, or no backup: FIN4030 already says so.
    if (!db.replicateTo || !db.backup || !regions.includes(db.replicateTo) || db.replicateTo === primaryRegion(model)) continue;
    const at = db.fields["replicate"] ?? db.origin;
    const name = replicaClusterName(db)!;
    if (db.mode === "standalone")
      report(diag("FIN4055", at, { message: `'${db.name}' is standalone: a replica cluster in ${db.replicateTo} needs the CloudNativePG operator.`, hint: "Remove `standalone` (the operator then runs a replica Cluster there), or remove `replicate`." }));
    // A warning: the terraform target still replicates Velero's bucket, which is what `replicate` meant before replica clusters.
    else if (p.cloud === "aws" && !p.account)
      report(diag("FIN4055", at, { message: `'${db.name}' gets no replica cluster in ${db.replicateTo}: without the platform's \`account\` finc knows no backup bucket, so its backups are volume snapshots, which neither leave the region nor carry the WAL a replica cluster replays (only the terraform target's backup bucket is replicated).`, hint: 'Add `account "<12-digit AWS account ID>"` to the platform: backups then go to the S3 bucket the terraform target creates and replicates to the replica\'s region, where the replica cluster recovers from it.' }, { severity: "warning" }));
    else if (replicaRegionProblem(model, db.replicateTo))
      report(diag("FIN4100", at, {
        message: `'${db.name}' cannot be replicated to ${db.replicateTo}: ${replicaRegionProblem(model, db.replicateTo)}, so no replica there could recover from them.`,
        hint: p.cloud === "azure" && AZURE_PAIRED_REGION[primaryRegion(model) ?? ""] ? `Write \`replicate to ${AZURE_PAIRED_REGION[primaryRegion(model) ?? ""]}\` (and put the standby cluster there).` : `Replicate to a region of ${primaryRegion(model)}'s continent (and put the standby cluster there).`,
      }));
    else if (name.length > CNPG_CLUSTER_NAME_MAX)
      report(diag("FIN4055", at, { message: `The replica cluster's name '${name}' (<database>-<region>) is longer than the ${CNPG_CLUSTER_NAME_MAX} characters CloudNativePG accepts.`, hint: `Shorten the database's name to at most ${CNPG_CLUSTER_NAME_MAX - db.replicateTo.length - 1} characters.` }));
  }
}
