import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { standbyArchiveGap } from "../model/standby-archive.js";
import { environmentClusters, homeCluster } from "../model/cluster-topology.js";
import { checkActiveClusters } from "./check-active-clusters.js";
import type { DatabaseModel, PlatformModel } from "../model/platform-model.js";
import { humanDuration, recoveryEstimate } from "../model/recovery.js";

/**
 * The clusters of a multi-cluster platform (model/cluster-topology.ts), checked on each
 * environment's model before it is split per cluster: each cluster in a region the platform
 * lists (FIN4080), one primary per environment (FIN4081), a standby that can get every
 * database's data (FIN4082), and recovery objectives that count on a regional failover
 * only where a cluster in the replica's region runs the environment (FIN4083).
 */
export function checkClusters(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const declared = model.clusters ?? [];
  if (!declared.length) return;
  const p = model.platform;
  const listed = p.regions.map((r) => r.name);
  for (const c of declared) {
    if (!listed.includes(c.region))
      report(diag("FIN4080", c.fields["region"] ?? c.origin, {
        message: `Cluster '${c.name}' is in ${c.region}, which is not one of the platform's regions (${listed.join(", ") || "none declared"}).`,
        hint: listed.length ? `Use one of ${listed.join(", ")}, or add ${c.region} to the platform's \`regions\`.` : `Declare the platform's regions: \`regions ${c.region} primary, …\`.`,
      }));
    for (const e of c.environments ?? [])
      if (!p.environments.includes(e.name))
        report(diag("FIN4081", e.range, { message: `Cluster '${c.name}' names environment '${e.name}', which the platform does not list (${p.environments.join(", ")}).`, hint: "Name environments from the platform's `environments`." }));
  }
  const clusters = environmentClusters(model);
  const env = model.environment;
  const primaries = clusters.filter((c) => c.role === "primary");
  // Not exactly one primary: the databases' primaries would have no home, or two. (A lone standby would be built as a primary.)
  const active = clusters.some((c) => c.role === "active"); // role active: check-active-clusters.ts
  if (clusters.length && primaries.length !== 1 && !active) {
    const at = primaries[1] ?? clusters[0]!;
    report(diag("FIN4081", at.fields["role"] ?? at.origin, {
      message: primaries.length
        ? `Environment '${env}' runs on ${primaries.length} primary clusters (${primaries.map((c) => c.name).join(", ")}): each database has one primary, so exactly one cluster may be \`role primary\`.`
        : `Environment '${env}' runs on ${clusters.map((c) => c.name).join(", ")}, none of them \`role primary\`: one must run the databases' primaries.`,
      hint: primaries.length ? `Make the others \`role standby\`, or keep them out of ${env} with \`environments\`.` : `Set \`role primary\` on one of them.`,
    }));
  }
  // Every cluster but the home one (the primary, or the first active cluster) runs each database as a replica.
  if (clusters.length >= 2) for (const s of clusters.filter((c) => c !== homeCluster(clusters))) for (const db of model.databases) standbyData(model, db, s.name, s.region, report);
  checkActiveClusters(model, clusters, report);
  for (const db of model.databases) {
    if (!db.recovery || !db.replicateTo) continue;
    const e = recoveryEstimate(model, db);
    if (e.scenario.kind !== "region" || e.rto.ms === undefined || e.rto.ms > db.recovery.rtoMs) continue;
    if (clusters.some((c) => c.region === db.replicateTo)) continue;
    const on = clusters.length ? `runs on ${clusters.map((c) => `'${c.name}' (${c.region})`).join(", ")} only` : "runs on none of the declared clusters";
    report(diag("FIN4083", db.recovery.origin, {
      message: `'${db.name}' meets its RTO of ${humanDuration(db.recovery.rtoMs)} only by promoting its replica in ${db.replicateTo}, but environment '${env}' ${on}: no cluster there runs the replica or takes the traffic when ${e.scenario.region} is lost.`,
      hint: `Declare a standby \`cluster\` with \`region ${db.replicateTo}\` and \`role standby\` whose \`environments\` include ${env}, or relax the RTO in ${env}.`,
    }));
  }
}

/** A standby's replica of `db` needs the primary's WAL and base backups copied into its region. */
function standbyData(model: PlatformModel, db: DatabaseModel, cluster: string, region: string, report: (d: Diagnostic) => void): void {
  const missing =
    db.mode !== "operator" ? "it is `standalone` (a StatefulSet with Velero snapshots, which CloudNativePG cannot replicate)"
    : !db.backup ? "it has no `backup`, so nothing archives its WAL"
    : db.replicateTo !== region ? (db.replicateTo ? `its backups are replicated to ${db.replicateTo}, not ${region}` : `its backups are not replicated to ${region}`)
    : standbyArchiveGap(model, region)?.missing;
  if (!missing) return;
  const fix =
    db.mode !== "operator" ? "Run it with the operator (drop `standalone`)"
    : !db.backup ? `Add \`backup every 6h keep 30d\` and \`replicate to ${region}\``
    : db.replicateTo !== region ? `Write \`replicate to ${region}\``
    : standbyArchiveGap(model, region)!.fix;
  // At the line to change; a database with neither `backup` nor `engine` line at its header (`database <name>`, as finc fmt writes it).
  const header = { ...db.origin, end: Math.min(db.origin.end, db.origin.start + `database ${db.name}`.length) };
  report(diag("FIN4082", db.fields["replicate"] ?? db.fields["backup"] ?? db.fields["engine"] ?? header, {
    message: `${model.clusters?.find((c) => c.name === cluster)?.role === "active" ? "Active" : "Standby"} cluster '${cluster}' (${region}) in environment '${model.environment}' cannot get the data of database '${db.name}': ${missing}.`,
    hint: `${fix}, so that its replica cluster there recovers from the primary's backups; or keep '${cluster}' out of ${model.environment} with \`environments\`.`,
  }));
}
