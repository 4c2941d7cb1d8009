import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { DrillRead } from "../semantic/schema/drill-field.js";
import { postgresBackupPrefix } from "./cloud-model.js";
import { maxCronGapSeconds } from "./cron-gap.js";
import { drillEgress, drillIdentity, drillStore, drillStoreProblem } from "./drill-store.js";
import type { DatabaseModel, PlatformModel } from "./platform-model.js";
import { RECOVERY_ASSUMPTIONS } from "./recovery.js";

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
    /** `into namespace <scratch>`: the whole Cluster restored there (emit/drills/into-namespace.ts). */
    readonly into?: { readonly name: string; readonly origin: SourceRange };
    readonly origin: SourceRange;
  };
}

export function lowerDatabaseDrill(v: FieldValues): DatabaseDrill {
  const r = v.get<DrillRead>("drill");
  if (!r) return {};
  return { drill: { schedule: r.schedule, ...(r.query ? { query: { text: r.query.text, origin: r.query.range } } : {}), ...(r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {}), ...(r.into ? { into: { name: r.into.name, origin: r.into.range } } : {}), origin: r.range } };
}

/** A drill's default deadline: generous for a restore of the sizes finc sees (the estimate is model/recovery.ts's). */
export const DEFAULT_DRILL_TIMEOUT_MS = 6 * 3_600_000;
/** CronJob names: 52 characters (the controller appends an 11-character suffix to its Jobs). */
export const CRONJOB_NAME_MAX = 52;

/** Where a drill reads the archive: the Cluster's own object store, as barman-cloud names it. */
export interface DrillStore {
  /** barman-cloud's `--cloud-provider`. */
  readonly provider: "aws-s3" | "google-cloud-storage" | "azure-blob-storage";
  /** The S3 or GCS bucket; on Azure the Blob container. */
  readonly bucket: string;
  /** Azure only: the storage account of the container. */
  readonly account?: string;
  /** Azure only: the account's Blob endpoint, `https://<account>.blob.core.windows.net`. */
  readonly accountUrl?: string;
  /** `postgres/<namespace>`: the database's server name (the Cluster's) is the folder below it. */
  readonly prefix: string;
  /** The Cluster's destinationPath: `s3://…`, `gs://…` or `https://<account>.blob.core.windows.net/<container>/…`. */
  readonly url: string;
  /** barman-cloud's `--credential` (Azure: `managed-identity`, what CloudNativePG passes for `inheritFromAzureAD`). */
  readonly credential?: "managed-identity";
}

/** Everything the drill's documents are made of, for one database. */
export interface DrillPlan {
  readonly name: string;
  readonly namespace: string;
  readonly database: DatabaseModel;
  readonly schedule: string;
  readonly store: DrillStore;
  /** The Cluster's destinationPath (store.url). */
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
  /** The ServiceAccount's cloud identity: IRSA's role, GKE's Google service account, Azure's client ID (and tenant). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** Pod labels the identity needs (Azure Workload Identity's webhook selects pods by one). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** What the drill reaches and nothing else (the needs file): the object store, the identity endpoint. */
  readonly egress: readonly { readonly to: string; readonly port: number }[];
  readonly rtoMs?: number;
  /** `into namespace <scratch>`: the scratch namespace the CronJob, its Role and the restored Cluster live in. */
  readonly scratch?: string;
  readonly origin: SourceRange;
}

/** Why a database's `drill` cannot be built: FIN4077 (an error) or, on Azure before the client IDs are known, FIN4103 (a warning). */
export interface DrillProblem {
  readonly code: "FIN4077" | "FIN4103";
  readonly why: string;
  readonly hint: string;
}

const drillName = (db: DatabaseModel) => `${db.name}-drill`;

/** Why a database's `drill` cannot be built, or undefined (the per-cloud cases: drill-store.ts). */
export function drillProblem(model: PlatformModel, db: DatabaseModel): DrillProblem | undefined {
  if (db.mode === "standalone") return { code: "FIN4077", why: "a standalone database is backed up by Velero volume snapshots: there is no base backup and WAL archive to restore from", hint: "Run it with the operator (drop `standalone`) and give it `backup every 6h keep 30d`." };
  if (!db.backup) return { code: "FIN4077", why: "it has no `backup`: there is nothing to restore", hint: "Add `backup every 6h keep 30d` (base backups and the WAL archive in the environment's object store)." };
  const store = drillStoreProblem(model, db, drillName(db));
  if (store) return store;
  if (drillName(db).length > CRONJOB_NAME_MAX) return { code: "FIN4077", why: `its CronJob '${drillName(db)}' would be longer than ${CRONJOB_NAME_MAX} characters`, hint: `Give the database a name of at most ${CRONJOB_NAME_MAX - "-drill".length} characters.` };
  return undefined;
}

export function drillPlan(model: PlatformModel, db: DatabaseModel): DrillPlan | undefined {
  const d = db.drill;
  if (!d || drillProblem(model, db)) return undefined;
  const name = drillName(db);
  const store = drillStore(model, db);
  const identity = drillIdentity(model, db.namespace, name);
  if (!store || !identity) return undefined;
  return {
    name,
    namespace: db.namespace,
    database: db,
    schedule: d.schedule,
    store,
    storePath: store.url,
    bucket: store.bucket,
    prefix: store.prefix,
    serverName: db.name,
    queries: ["select 1", ...(d.query ? [d.query.text] : [])],
    timeoutSeconds: Math.round((d.timeoutMs ?? DEFAULT_DRILL_TIMEOUT_MS) / 1000),
    periodSeconds: maxCronGapSeconds(d.schedule),
    ...(identity.roleArn ? { roleArn: identity.roleArn } : {}),
    serviceAccountAnnotations: identity.annotations,
    podLabels: identity.podLabels,
    egress: drillEgress(model, store),
    ...(db.recovery ? { rtoMs: db.recovery.rtoMs } : {}),
    ...(d.into ? { scratch: d.into.name } : {}),
    origin: d.origin,
  };
}

/**
 * The drills whose cloud identity the terraform target creates: every buildable one, and on
 * Azure also those waiting for their client IDs (terraform apply is what makes Azure pick them).
 */
export function drillReaders(model: PlatformModel): { database: string; namespace: string; serviceAccount: string; prefix: string; subject: { namespace: string; name: string } }[] {
  return model.databases.flatMap((db) => {
    if (!db.drill) return [];
    const why = drillProblem(model, db);
    if (why && why.code !== "FIN4103") return [];
    // `into namespace`: the restored Cluster's ServiceAccount (named after it) reads the archive, not the drill's.
    const into = db.drill.into;
    const subject = into ? { namespace: into.name, name: `${db.name}-restore` } : { namespace: db.namespace, name: drillName(db) };
    return [{ database: db.name, namespace: db.namespace, serviceAccount: drillName(db), prefix: postgresBackupPrefix(db.namespace), subject }];
  });
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
