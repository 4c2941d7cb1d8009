import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { DeclInfo } from "../semantic/declarations.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { Ref } from "../semantic/readers.js";
import { standbyArchiveStore } from "./standby-archive.js";
import type { Entity, PlatformModel } from "./platform-model.js";

export type ClusterRole = "primary" | "standby";

/** A `cluster` declaration: one Kubernetes cluster in one of the platform's regions. */
export interface ClusterModel extends Entity {
  readonly region: string;
  readonly role: ClusterRole;
  /** `environments prod`: the environments that run on it; absent: every environment. */
  readonly environments?: readonly { readonly name: string; readonly range: SourceRange }[];
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
  /** On a standby: per database name, where its replica recovers from (only databases that can be replicated). */
  readonly sources?: Readonly<Record<string, StandbySource>>;
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
  return {
    name: d.name,
    origin: { file: d.file, start: d.node.start, end: d.node.end },
    fields: { ...v.origins },
    ...(d.node.doc ? { doc: d.node.doc } : {}),
    region: v.get<Ref>("region")?.name ?? "",
    role: v.get<ClusterRole>("role") ?? "primary",
    ...(envs ? { environments: envs.map((r) => ({ name: r.name, range: r.range })) } : {}),
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
 * One environment's model → the models of its outputs: itself when it runs on at most one
 * cluster (single-cluster platforms are built exactly as before), else one per cluster, named
 * `<env>-<cluster>`. Each view is what that cluster applies on its own:
 *
 * - its region is the primary region of the view (cloud resources, KMS, the databases' placement);
 * - it names its EKS cluster `<platform cluster, else <platform>-<env>>-<cluster>` (IAM role names,
 *   buckets and Argo CD's destination differ per cluster, so two Terraform roots never collide);
 * - a standby runs only the services (workers, jobs and cron jobs write, and its databases are
 *   read-only replicas until promoted), which idle at their minimum replicas under their
 *   autoscalers and scale up with the traffic DNS fails over to them;
 * - a standby's databases become replica clusters of the primary's (emit/postgres/replica.ts),
 *   without `init` (a replica does not run initdb) or a `replicate` of their own.
 */
export function perClusterModels(model: PlatformModel): [string, PlatformModel][] {
  const clusters = environmentClusters(model);
  if (clusters.length < 2) return [[model.environment, model]];
  const env = model.environment;
  const primary = clusters.find((c) => c.role === "primary") ?? clusters[0]!;
  const peers = clusters.map((c) => ({ name: c.name, role: c.role, region: c.region }));
  const view = (c: ClusterModel): PlatformModel => {
    const p = model.platform;
    const placement: ClusterPlacement = { name: c.name, role: c.name === primary.name ? "primary" : "standby", region: c.region, environment: env, peers };
    return {
      ...model,
      environment: clusterOutputName(env, c.name),
      cluster: placement,
      platform: {
        ...p,
        cluster: clusterOutputName(p.cluster ?? `${p.name}-${env}`, c.name),
        regions: p.regions.map((r) => ({ ...r, primary: r.name === c.region })),
      },
    };
  };
  const primaryView = view(primary);
  return clusters.map((c): [string, PlatformModel] => {
    if (c.name === primary.name) return [primaryView.environment, primaryView];
    const standby = view(c);
    const sources: Record<string, StandbySource> = {};
    for (const db of model.databases) {
      const bucket = db.mode === "operator" && db.backup && db.replicateTo === c.region ? standbyArchiveStore(primaryView, c.region) : undefined;
      if (bucket) sources[db.name] = { bucket, name: `${db.name}-${primary.name}` };
    }
    return [standby.environment, {
      ...standby,
      cluster: { ...standby.cluster!, role: "standby", sources },
      services: model.services.filter((s) => (s.workload ?? "service") === "service"),
      databases: model.databases.map((db) => ({ ...db, replicateTo: undefined, init: undefined })),
    }];
  });
}

/** The standby cluster's source for a database, when this output is a standby that replicates it. */
export function standbySource(model: PlatformModel, database: string): StandbySource | undefined {
  return model.cluster?.role === "standby" ? model.cluster.sources?.[database] : undefined;
}

/** The outputs `--env <name>` selects: that output, or every cluster's output of the environment so named. */
export function outputsOf(outputs: readonly string[], models: ReadonlyMap<string, PlatformModel>, name: string): string[] {
  return outputs.filter((o) => o === name || models.get(o)?.cluster?.environment === name);
}
