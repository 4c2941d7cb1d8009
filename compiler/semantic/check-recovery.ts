import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel } from "../model/platform-model.js";
import { humanDuration, recoveryEstimate, RECOVERY_ASSUMPTIONS, type RecoveryEstimate } from "../model/recovery.js";
import { geoReplicationName } from "../model/standby-archive.js";

function scenarioText(e: RecoveryEstimate): string {
  return e.scenario.kind === "region" ? `if ${e.scenario.region} (the primary region) is lost` : "if the database is lost (every instance and volume)";
}

/** What would meet an objective the configuration misses, by scenario and by what is missing. */
function rpoHint(model: PlatformModel, e: RecoveryEstimate, rpoMs: number, dbName: string): string {
  const other = model.platform.regions.find((r) => !r.primary)?.name ?? "<another region>";
  if (e.rpo.ms === undefined)
    return e.scenario.kind === "region"
      ? `Add \`replicate to ${other}\` with \`backup every …\` and the platform's \`account\`: a replica cluster there replays the archived WAL.`
      : "Add `backup every 6h keep 30d`: with the platform's backup bucket the operator then archives WAL continuously.";
  if (e.scenario.kind === "region" && rpoMs < RECOVERY_ASSUMPTIONS.s3ReplicationMs + RECOVERY_ASSUMPTIONS.minArchiveTimeoutMs)
    return `Across regions the archive travels through ${geoReplicationName(model)} (${humanDuration(RECOVERY_ASSUMPTIONS.s3ReplicationMs)} bound): ask for an RPO of at least ${humanDuration(RECOVERY_ASSUMPTIONS.s3ReplicationMs + RECOVERY_ASSUMPTIONS.minArchiveTimeoutMs)}, or keep '${dbName}' in one region.`;
  if (e.rpo.how.includes("snapshot")) return "Snapshots lose everything since the last one: run the database with the operator and a backup bucket (the platform's `account` on AWS), which archives WAL continuously.";
  return `Below ${humanDuration(RECOVERY_ASSUMPTIONS.minArchiveTimeoutMs)} WAL archiving cannot help: ask for at least ${humanDuration(RECOVERY_ASSUMPTIONS.minArchiveTimeoutMs)}.`;
}

function rtoHint(model: PlatformModel, e: RecoveryEstimate): string {
  const other = model.platform.regions.find((r) => !r.primary)?.name ?? "<another region>";
  if (e.scenario.kind === "region") return `Add \`replicate to ${other}\` (with \`backup\` and the platform's \`account\`): promoting a standby replica cluster takes ${humanDuration(RECOVERY_ASSUMPTIONS.promotionMs)}.`;
  if (e.rto.ms === undefined) return "Add `backup every 6h keep 30d`.";
  return "A restore copies the whole volume: back up more often (less WAL to replay), keep the database smaller, or add `replicate to <region>` for a standby to promote instead.";
}

/**
 * `recovery rpo … rto …` against what the database's configuration achieves (model/recovery.ts):
 * a cross-resource proof — backups, WAL archiving, the bucket, replicas, regions and storage size
 * together — reported at the objective it misses, with the estimate's arithmetic in the message.
 */
export function checkRecovery(model: PlatformModel, report: (d: Diagnostic) => void): void {
  for (const db of model.databases) {
    if (!db.recovery) continue;
    const e = recoveryEstimate(model, db);
    const at = db.recovery.origin;
    const { rpoMs, rtoMs } = db.recovery;
    if (e.rpo.ms === undefined || e.rpo.ms > rpoMs) {
      const achieved = e.rpo.ms === undefined ? `no recovery point at all: ${e.rpo.why}` : `up to ${humanDuration(e.rpo.ms)} of data (${e.rpo.how})`;
      report(diag("FIN4068", at, { name: db.name, objective: humanDuration(rpoMs), scenario: scenarioText(e), achieved, hint: rpoHint(model, e, rpoMs, db.name) }));
    }
    if (e.rto.ms === undefined || e.rto.ms > rtoMs) {
      const achieved = e.rto.ms === undefined ? `no recovery at all: ${e.rto.why}` : `about ${humanDuration(Math.ceil(e.rto.ms / 60_000) * 60_000)} (${e.rto.how})`;
      report(diag("FIN4069", at, { name: db.name, objective: humanDuration(rtoMs), scenario: scenarioText(e), achieved, hint: rtoHint(model, e) }));
    }
  }
}
