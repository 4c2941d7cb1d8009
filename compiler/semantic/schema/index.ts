import { databaseSpec } from "./database.js";
import { ISSUER_HINTS, PLATFORM_TRAFFIC_HINTS, SECRET_STORE_HINTS, SERVICE_HINTS } from "./completion-hints.js";
import { withHints, type FieldSpec, type KindSpec } from "./field-spec.js";
import { namespaceSpec } from "./namespace.js";
import { nodePoolSpec } from "./nodepool.js";
import { clusterSpec } from "./cluster.js";
import { platformSpec } from "./platform.js";
import { secretStoreSpec } from "./secret-store.js";
import { serviceSpec } from "./service.js";
import { issuerSpec } from "./traffic-fields.js";
import { cronjobSpec, jobSpec, workerSpec } from "./workloads.js";

export type { FieldSpec, KindSpec } from "./field-spec.js";
export { followUps } from "./field-spec.js";

const service = withHints(serviceSpec, SERVICE_HINTS);

/** Declaration kinds that describe a part of the platform and are typed by a schema. */
export const KIND_SPECS: Readonly<Record<string, KindSpec>> = {
  platform: withHints(platformSpec, PLATFORM_TRAFFIC_HINTS),
  namespace: namespaceSpec,
  secretstore: withHints(secretStoreSpec, SECRET_STORE_HINTS),
  issuer: withHints(issuerSpec, ISSUER_HINTS),
  service,
  worker: workerSpec(service),
  job: jobSpec(service),
  cronjob: cronjobSpec(service),
  database: databaseSpec,
  nodepool: nodePoolSpec,
  cluster: clusterSpec,
};

/** Kinds with their own structure: patterns (defaults for a kind), environments (overrides), config sets (`configset common { KEY = "v" }`, shared with `config from common`) and object overrides (`override deployment/api { … }`, checked against the kind's schema). */
export const META_KINDS = ["pattern", "environment", "configset", "override"] as const;
export const ALL_KINDS = [...Object.keys(KIND_SPECS), ...META_KINDS];

/** Fields every pattern may use besides those of its target kind. */
export const PATTERN_FIELDS: Readonly<Record<string, { doc: string; syntax: string }>> = {
  require: { doc: "Fields a declaration using this pattern must set.", syntax: "<field>, …" },
  minimum: { doc: "A lower bound the declaration must respect, in every environment or only in some: `minimum replicas 2`, `minimum instances 3 in prod staging`.", syntax: "<replicas|instances> <n> [in <env> …]" },
};

export function fieldSpec(kind: string, field: string): FieldSpec | undefined {
  return KIND_SPECS[kind]?.fields[field];
}
