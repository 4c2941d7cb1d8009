import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { DrillRead } from "../semantic/schema/drill-field.js";
import { backupBucketName, iamRoleName, postgresBackupPrefix } from "./cloud-model.js";
import { maxCronGapSeconds } from "./cron-gap.js";
import type { DatabaseModel, PlatformModel } from "./platform-model.js";
import { archivesWal, RECOVERY_ASSUMPTIONS } from "./recovery.js";

/**
 * Scheduled disaster-recovery drills (issue 13 item 6): `drill weekly [query "<sql>"] [timeout 4h]`
 * on a database. A drill proves what `recovery rto` only estimates: that the latest backup
 * restores, how long it takes, and that the data answers a query (emit/drills).
 */
export interface DatabaseDrill {
  readonly drill?: {
    readonly schedule: string;
    readonly query?: { readonly text: string; readonly origin: SourceRange };
    readonly timeoutMs?: number;
    readonly origin: SourceRange;
  };
}

export function lowerDatabaseDrill(v: FieldValues): DatabaseDrill {
  const r = v.get<DrillRead>("drill");
  if (!r) return {};
  return { drill: { schedule: r.schedule, ...(r.query ? { query: { text: r.query.text, origin: r.query.range } } : {}), ...(r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {}), origin: r.range } };
}

/** A drill's default deadline: generous for a restore of the sizes finc sees (the estimate is model/recovery.ts's). */
export const DEFAULT_DRILL_TIMEOUT_MS = 6 * 3_600_000;
/** CronJob names: 52 characters (the controller appends an 11-character suffix to its Jobs). */
export const CRONJOB_NAME_MAX = 52;

/** Everything the drill's documents are made of, for one database. */
export interface DrillPlan {
  readonly name: string;
  readonly namespace: string;
  readonly database: DatabaseModel;
  readonly schedule: string;
  /** `s3://<bucket>/postgres/<namespace>`: the Cluster's destinationPath; the database's server name below it. */
  readonly storePath: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly serverName: string;
  readonly queries: readonly string[];
  readonly timeoutSeconds: number;
  /** The longest gap between two scheduled drills, for the "not succeeded" alert. */
  readonly periodSeconds: number;
  /** `eks.amazonaws.com/role-arn` of the drill's ServiceAccount: a read-only role the terraform target creates (with `cluster`). */
  readonly roleArn?: string;
  readonly rtoMs?: number;
  readonly origin: SourceRange;
}

/** Why a database's `drill` cannot be built (FIN4077), or undefined. */
export function drillProblem(model: PlatformModel, db: DatabaseModel): string | undefined {
  if (db.mode === "standalone") return "a standalone database is backed up by Velero volume snapshots: there is no base backup and WAL archive to restore from";
  if (!db.backup) return "it has no `backup`: there is nothing to restore";
  if (!archivesWal(model, db)) return "its backups are volume snapshots: WAL is archived to an object store only on `cloud aws` with an `account` (the backup bucket)";
  if (`${db.name}-drill`.length > CRONJOB_NAME_MAX) return `its CronJob '${db.name}-drill' would be longer than ${CRONJOB_NAME_MAX} characters`;
  return undefined;
}

export function drillPlan(model: PlatformModel, db: DatabaseModel): DrillPlan | undefined {
  const d = db.drill;
  const bucket = backupBucketName(model);
  if (!d || !bucket || drillProblem(model, db)) return undefined;
  const name = `${db.name}-drill`;
  const p = model.platform;
  return {
    name,
    namespace: db.namespace,
    database: db,
    schedule: d.schedule,
    storePath: `s3://${bucket}/${postgresBackupPrefix(db.namespace)}`,
    bucket,
    prefix: postgresBackupPrefix(db.namespace),
    serverName: db.name,
    queries: ["select 1", ...(d.query ? [d.query.text] : [])],
    timeoutSeconds: Math.round((d.timeoutMs ?? DEFAULT_DRILL_TIMEOUT_MS) / 1000),
    periodSeconds: maxCronGapSeconds(d.schedule),
    ...(p.cloud === "aws" && p.account && p.cluster ? { roleArn: `arn:aws:iam::${p.account}:role/${iamRoleName(model, db.namespace, name)}` } : {}),
    ...(db.recovery ? { rtoMs: db.recovery.rtoMs } : {}),
    origin: d.origin,
  };
}

/** Databases with a drill that can be built, for emitters (drills) and the terraform target's read-only roles. */
export function drillPlans(model: PlatformModel): DrillPlan[] {
  return model.databases.flatMap((db) => drillPlan(model, db) ?? []);
}

/** What the drill itself restores (model/recovery.ts's assumptions, without a new Cluster to provision): the volume at the restore throughput plus a quarter of a backup interval of WAL. */
export function estimatedDrillMs(db: DatabaseModel): number {
  const a = RECOVERY_ASSUMPTIONS;
  return Math.ceil((db.storage.bytes / a.restoreBytesPerSecond) * 1000) + Math.ceil((db.backup?.everyMs ?? 0) * a.replayFraction);
}
