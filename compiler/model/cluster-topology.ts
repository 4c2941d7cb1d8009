import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { DeclInfo } from "../semantic/declarations.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { Ref } from "../semantic/readers.js";
import { standbyArchiveStore } from "./standby-archive.js";
import { lowerClusterClientIds, platformForCluster } from "./cluster-client-ids.js";
import type { Entity, PlatformModel } from "./platform-model.js";

export type ClusterRole = "primary" | "standby" | "active";

/** A `cluster` declaration: one Kubernetes cluster in one of the platform's regions. */
export interface ClusterModel extends Entity {
  readonly region: string;
  readonly role: ClusterRole;
  /** `environments prod`: the environments that run on it; absent: every environment. */
  readonly environments?: readonly { readonly name: string; readonly range: SourceRange }[];
  /** `health-check "<id>" [in <env>], …`: the Route 53 health checks terraform created for this cluster, pasted back. */
  readonly healthChecks?: readonly HealthCheckEntry[];
}

/** One pasted health check: its ID, and the environment whose Terraform root created it (absent: every one). */
export interface HealthCheckEntry {
  readonly id: string;
  readonly range: SourceRange;
  readonly environment?: Ref;
}

/** The health check a cluster's records in `environment` follow: the entry for it, else one for every environment. */
export function healthCheckFor(c: ClusterModel, environment: string): string | undefined {
  const checks = c.healthChecks ?? [];
  return (checks.find((h) => h.environment?.name === environment) ?? checks.find((h) => !h.environment))?.id;
}

/** Where a standby cluster's replica of a database reads the primary's WAL and base backups. */
export interface StandbySource {
  /** The store the standby reads the primary's archive from: S3 bucket replica, dual-region GCS bucket, Azure account (model/standby-archive.ts). */
  readonly bucket: string;
  /** The external cluster's name in the replica `Cluster`: `<db>-<primary cluster>`. */
  readonly name: string;
}

/** The cluster one output of a multi-cluster environment is for (absent in single-cluster outputs). */
export interface ClusterPlacement {
  readonly name: string;
  readonly role: ClusterRole;
  readonly region: string;
  /** The environment as the spec names it (`prod`); the model's `environment` is the output's name (`prod-eu-west`). */
  readonly environment: string;
  /** Every cluster of the environment, this one included, in declaration order. */
  readonly peers: readonly { readonly name: string; readonly role: ClusterRole; readonly region: string }[];
  /**
   * Where the databases' replicas recover from, per database name (only databases that can be replicated):
   * on a standby, and on an active cluster other than the first (the databases' primaries run in the first).
   */
  readonly sources?: Readonly<Record<string, StandbySource>>;
  /** `health-check` of this cluster: the Route 53 health check ID external-dns attaches to its records. */
  readonly healthCheck?: string;
}

// The model's cluster facts, added to PlatformModel here so that the topology stays in one file:
// `clusters` on every model of a spec that declares any, `cluster` on each output of a multi-cluster environment.
declare module "./platform-model.js" {
  interface PlatformModel {
    /** The `cluster` declarations (all of them; `environmentClusters` filters by environment). */
    readonly clusters?: readonly ClusterModel[];
    readonly cluster?: ClusterPlacement;
  }
}

export function lowerCluster(d: DeclInfo, v: FieldValues): ClusterModel {
  const envs = v.get<Ref[]>("environments");
  const checks = v.get<HealthCheckEntry[]>("health-check");
  return {
    name: d.name,
    origin: { file: d.file, start: d.node.start, end: d.node.end },
    fields: { ...v.origins },
    ...(d.node.doc ? { doc: d.node.doc } : {}),
    region: v.get<Ref>("region")?.name ?? "",
    role: v.get<ClusterRole>("role") ?? "primary",
    ...(envs ? { environments: envs.map((r) => ({ name: r.name, range: r.range })) } : {}),
    ...(checks ? { healthChecks: checks } : {}),
    ...lowerClusterClientIds(d, v),
  };
}

/** The clusters an environment (as the spec names it) runs on. */
export function environmentClusters(model: PlatformModel, environment = baseEnvironment(model)): readonly ClusterModel[] {
  return (model.clusters ?? []).filter((c) => !c.environments || c.environments.some((e) => e.name === environment));
}

/** The environment as the spec names it: `prod` for the output `prod-eu-west` too. */
export function baseEnvironment(model: PlatformModel): string {
  return model.cluster?.environment ?? model.environment;
}

/** The output name (directory, overlay, values file, Terraform root) of one cluster of a multi-cluster environment. */
export function clusterOutputName(environment: string, cluster: string): string {
  return `${environment}-${cluster}`;
}

/**
 * The cluster of an environment that runs the workloads that must run once (workers, jobs, cron
 * jobs) and each database's primary: its `primary`, or with `role active` the first active cluster
 * in declaration order (CloudNativePG has one writer per database).
 */
export function homeCluster(clusters: readonly ClusterModel[]): ClusterModel | undefined {
  return clusters.find((c) => c.role === "primary") ?? clusters.find((c) => c.role === "active") ?? clusters[0];
}

/**
 * One environment's model → the models of its outputs: itself when it runs on at most one
 * cluster (single-cluster platforms are built exactly as before), else one per cluster, named
 * `<env>-<cluster>`. Each view is what that cluster applies on its own:
 *
 * - its region is the primary region of the view (cloud resources, KMS, the databases' placement);
 * - it names its EKS cluster `<platform cluster, else <platform>-<env>>-<cluster>` (IAM role names,
 *   buckets and Argo CD's destination differ per cluster, so two Terraform roots never collide);
 * - a cluster other than the home one (homeCluster: the primary, or the first active cluster)
 *   runs only the services (workers, jobs and cron jobs write or must run once, and its databases
 *   are read-only replicas): on a standby they idle at their minimum replicas under their
 *   autoscalers and scale up with the traffic DNS fails over to them; on an active cluster they
 *   take their share of the traffic all the time (latency routing);
 * - its databases become replica clusters of the home cluster's (emit/postgres/replica.ts),
 *   without `init` (a replica does not run initdb) or a `replicate` of their own.
 */
export function perClusterModels(model: PlatformModel): [string, PlatformModel][] {
  const clusters = environmentClusters(model);
  if (clusters.length < 2) return [[model.environment, model]];
  const env = model.environment;
  const home = homeCluster(clusters)!;
  const peers = clusters.map((c) => ({ name: c.name, role: c.role, region: c.region }));
  // A primary/standby environment keeps its roles as written; a mixed one is FIN4081 (built as primary + standbys).
  const roleOf = (c: ClusterModel): ClusterRole => (home.role === "active" && c.role === "active" ? "active" : c.name === home.name ? "primary" : "standby");
  const view = (c: ClusterModel): PlatformModel => {
    const p = model.platform;
    const placement: ClusterPlacement = { name: c.name, role: roleOf(c), region: c.region, environment: env, peers, ...(healthCheckFor(c, env) ? { healthCheck: healthCheckFor(c, env)! } : {}) };
    return {
      ...model,
      environment: clusterOutputName(env, c.name),
      cluster: placement,
      platform: {
        ...platformForCluster(p, c, env, c.name === home.name), // each cluster its own identities' client IDs
        cluster: clusterOutputName(p.cluster ?? `${p.name}-${env}`, c.name),
        regions: p.regions.map((r) => ({ ...r, primary: r.name === c.region })),
      },
    };
  };
  const homeView = view(home);
  return clusters.map((c): [string, PlatformModel] => {
    if (c.name === home.name) return [homeView.environment, homeView];
    const other = view(c);
    const sources: Record<string, StandbySource> = {};
    for (const db of model.databases) {
      const bucket = db.mode === "operator" && db.backup && db.replicateTo === c.region ? standbyArchiveStore(homeView, c.region) : undefined;
      if (bucket) sources[db.name] = { bucket, name: `${db.name}-${home.name}` };
    }
    return [other.environment, {
      ...other,
      cluster: { ...other.cluster!, sources },
      services: model.services.filter((s) => (s.workload ?? "service") === "service"),
      databases: model.databases.map((db) => ({ ...db, replicateTo: undefined, init: undefined })),
    }];
  });
}

/** Where this output's replica of a database recovers from: on a standby or a non-home active cluster that replicates it. */
export function standbySource(model: PlatformModel, database: string): StandbySource | undefined {
  return model.cluster?.sources?.[database];
}

/** This output's cluster runs the databases' primaries and the run-once workloads (not a standby, not a second active cluster). */
export function isHomeCluster(model: PlatformModel): boolean {
  return !model.cluster || model.cluster.sources === undefined;
}

/** The outputs `--env <name>` selects: that output, or every cluster's output of the environment so named. */
export function outputsOf(outputs: readonly string[], models: ReadonlyMap<string, PlatformModel>, name: string): string[] {
  return outputs.filter((o) => o === name || models.get(o)?.cluster?.environment === name);
}
