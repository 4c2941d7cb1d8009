import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { ConfigType } from "./config-type.js";
import type { DatabaseCloud, PlatformCloud } from "./cloud-model.js";
import type { NodePoolModel } from "./nodepool-model.js";
import type { DatabaseBootstrap } from "./database-bootstrap.js";
import type { DnsModel, ExposureRefs, IssuerModel, MeshMode, TracingModel, TrafficPolicy } from "./traffic-model.js";
import type { ScalingPolicy } from "./scaling-model.js";
import type { PlatformObservability, ServiceObservability } from "./observability-model.js";
import type { PlatformMesh } from "./mesh.js";
import type { ServiceEgress } from "./egress-model.js";
import type { PlatformEgressGateway } from "./egress-gateway.js";
import type { PlatformAdmission } from "./compliance/policy-engine.js";
import type { PlatformDelivery } from "./delivery-model.js";
import type { PlatformPipeline } from "./pipeline-model.js";
import type { PlatformSleep } from "./sleep.js";
import type { NamespaceBudget, PlatformBudget } from "./cost/budget.js";
import type { PlatformChaos } from "./chaos-model.js";
import type { PlatformProfiling, ServiceProfiling } from "./profiling.js";
import type { ServiceScheduling } from "./scheduling.js";
import type { NamespaceSupplyChain, PlatformSupplyChain, ServiceSupplyChain } from "./supply-chain.js";
import type { DatabaseRecovery } from "./recovery.js";
import type { PlatformSmokeTests, ServiceSmokeTest } from "./smoke-test-model.js";
import type { DatabaseDrill } from "./drill-model.js";
import type { BatchPolicy, WorkloadKind } from "./workload-kind.js";
import type { ServiceExposure } from "./service-exposure.js";
import type { ServiceAudit } from "./audit-model.js";
import type { PodDetails } from "./pod-details.js";
import type { ObjectOverride } from "./override-model.js";
import type { SecretFileTarget, ServiceVolumes } from "./volumes.js";

/**
 * The resolved, typed platform for ONE environment. Plain readonly data: no syntax
 * nodes, only origins. Emitters are pure functions of this model, so every target
 * (Kubernetes, Istio, Helm, Kustomize, Terraform …) reads the same facts.
 *
 * `fields` maps a spec field name to the range of the line that set its effective
 * value (the declaration, its pattern, or an environment override): this is what
 * the build's source map and the language server's inlay hints are made of.
 */
export interface Entity {
  readonly name: string;
  readonly origin: SourceRange;
  readonly fields: Readonly<Record<string, SourceRange>>;
  readonly doc?: string;
}

export type Cloud = "aws" | "gcp" | "azure" | "onprem";
export type IngressController = "istio" | "nginx" | "traefik" | "alb" | "gce" | "application-gateway" | "none";

export interface RegistryModel {
  readonly host: string;
  readonly credentials: SecretSource;
}

export interface PlatformInfo extends Entity, PlatformObservability, PlatformCloud, PlatformMesh, PlatformEgressGateway, PlatformDelivery, PlatformPipeline, PlatformBudget, PlatformChaos, PlatformSupplyChain, PlatformAdmission, PlatformSmokeTests, PlatformProfiling, PlatformSleep {
  /** `cost-center "<id>"`: every namespace's default cost center (label finc.dev/cost-center). */
  readonly costCenter?: string;
  readonly cloud: Cloud;
  /** `range`: where the region is named (residency diagnostics point at it). */
  readonly regions: readonly { readonly name: string; readonly primary: boolean; readonly range?: SourceRange }[];
  readonly kubernetes: string;
  readonly compliance: readonly string[];
  readonly environments: readonly string[];
  readonly registry?: RegistryModel;
  readonly mesh: "istio" | "none";
  /** With `mesh istio`: sidecar (default) or ambient. */
  readonly meshMode?: MeshMode;
  readonly ingress: IngressController;
  /** `ingress alb waf "<ARN>"`: the web ACL the ALB attaches (emit/ingress/alb.ts). */
  readonly waf?: string;
  readonly tracing?: TracingModel;
  readonly dns?: DnsModel;
}

export interface Quota {
  readonly cpuMillis?: number;
  readonly memoryBytes?: number;
  readonly pods?: number;
}

export interface NamespaceModel extends Entity, NamespaceBudget, NamespaceSupplyChain {
  readonly security: "restricted" | "baseline" | "privileged";
  readonly quota?: Quota;
  readonly residency?: string;
  /** `cost-center "<id>"` (or the platform's): the label finc.dev/cost-center on the Namespace and its pods. */
  readonly costCenter?: string;
}

export interface SecretStoreModel extends Entity {
  readonly provider: "vault" | "aws" | "gcp" | "azure";
  /** Vault address, AWS region, GCP project or Azure vault URL. */
  readonly server: string;
  /** Vault KV mount path. */
  readonly path?: string;
  /** Vault Kubernetes-auth role. */
  readonly role?: string;
  /** `scope cluster`: one ClusterSecretStore instead of a SecretStore per namespace. */
  readonly scope: "namespace" | "cluster";
  /** `refresh 15m`: the refreshInterval of the ExternalSecrets reading from this store. */
  readonly refreshMs?: number;
  /** `delivery vault-agent`: services' secrets from this store are rendered into the pod by the Vault Agent Injector, not synced by ESO. */
  readonly delivery: "eso" | "vault-agent";
  /** `cidr "10.0.0.0/16"`: where an external Vault lives, for the pods' egress NetworkPolicy. */
  readonly cidr?: string;
}

/** Where a secret value comes from: never the value itself. */
export type SecretSource =
  /** `refresh 5m` on the secret line: re-read at least this often (refreshMs). */
  | { readonly kind: "store"; readonly store: string; readonly path: string; readonly key: string; readonly refreshMs?: number }
  | { readonly kind: "output"; readonly database: string; readonly output: DatabaseOutput }
  /** Already encrypted for the cluster's Sealed Secrets controller: ciphertext, never a value. */
  | { readonly kind: "sealed"; readonly ciphertext: string };

/**
 * What a service may read from a database (`secret X from <db>.<output>`): the primary (`url`, `host`),
 * the read-only replicas (`read-url`, `read-host`; the primary itself without replicas or standalone),
 * and `ca-file`, the path of the CA certificate finc mounts into the service's containers.
 */
export type DatabaseOutput = "url" | "host" | "port" | "username" | "password" | "name" | "read-url" | "read-host" | "ca-file";
export const DATABASE_OUTPUTS: readonly DatabaseOutput[] = ["url", "host", "port", "username", "password", "name", "read-url", "read-host", "ca-file"];

export interface SecretEnv {
  /** The env var; for a secret file, its key in the workload's Secret (`file-<name>`, volumes.ts). */
  readonly env: string;
  readonly source: SecretSource;
  readonly origin: SourceRange;
  /** `secret file /etc/jwt/signing.pem …`: delivered as this read-only file, not as an env var. */
  readonly file?: SecretFileTarget;
}

export interface ConfigEntry {
  readonly key: string;
  readonly value: string;
  readonly origin: SourceRange;
  /** The declared type (`LOG_LEVEL enum debug info = info`); untyped keys are strings. */
  readonly type?: ConfigType;
  readonly doc?: string;
}

export interface PortModel {
  readonly name: string;
  /** The Service port: what callers, routes and the needs file address. */
  readonly port: number;
  /** `port http 80 -> 8080`: the port the container listens on, when it differs from the Service port. */
  readonly containerPort?: number;
  readonly protocol: "http" | "grpc" | "tcp";
}

/** The port the pod listens on: what NetworkPolicies, Istio authorization and probes match (they see the pod, not the Service). */
export const containerPortOf = (p: PortModel): number => p.containerPort ?? p.port;

export interface Resources {
  readonly cpu: { readonly request: number; readonly limit: number };
  readonly memory: { readonly request: number; readonly limit: number };
}

export interface Probe {
  readonly path: string;
  readonly port: string;
  /** `tcp`, `grpc` or `exec` instead of a path (a path probes by the port's protocol). */
  readonly check?: "tcp" | "grpc" | "exec";
  readonly command?: readonly string[];
  readonly grpcService?: string;
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
  /** `after`/`every`/`timeout`/`failures`, in whole seconds; unset ones take the kind's defaults (pod.ts). */
  readonly timing?: { readonly initialDelaySeconds?: number; readonly periodSeconds?: number; readonly timeoutSeconds?: number; readonly failureThreshold?: number };
}

export interface Replicas {
  readonly min: number;
  readonly max: number;
  readonly cpuTarget?: number;
  readonly memoryTarget?: number;
}

export interface Exposure extends ExposureRefs {
  readonly host: string;
  readonly path: string;
  readonly tls?: string;
  readonly origin: SourceRange;
}

export interface Migration {
  readonly image: string;
  readonly command: readonly string[];
}

export interface ServiceModel extends Entity, ServiceSupplyChain, ServiceObservability, ServiceEgress, ServiceAudit, ServiceVolumes, PodDetails, ServiceSmokeTest, ServiceScheduling, ServiceProfiling {
  readonly namespace: string;
  readonly pattern?: string;
  readonly image: string;
  readonly ports: readonly PortModel[];
  readonly replicas: Replicas;
  readonly resources: Resources;
  readonly config: readonly ConfigEntry[];
  /** `config-mount /etc/app`: the ConfigMap is mounted read-only there instead of being passed as env vars. */
  readonly configMount?: string;
  /** `config-immutable yes`: an immutable, content-hashed ConfigMap. */
  readonly configImmutable: boolean;
  readonly secrets: readonly SecretEnv[];
  readonly migrate?: Migration;
  readonly expose: readonly Exposure[];
  /** `service-type load-balancer [internal|public] | node-port`; absent: ClusterIP (see service-exposure.ts). */
  readonly serviceType?: ServiceExposure;
  /** Names of the services and databases this service calls. */
  readonly calls: readonly string[];
  readonly rateLimit?: { readonly perSecond: number; readonly amount: number; readonly per: "s" | "m" | "h" };
  readonly probes: { readonly readiness?: Probe; readonly liveness?: Probe; readonly startup?: Probe };
  readonly terminationGraceSeconds: number;
  readonly runAsUser: number;
  readonly update: { readonly maxSurge: string | number; readonly maxUnavailable: string | number };
  /** Directories the container may write to (the root filesystem is read-only). */
  readonly writable: readonly string[];
  /** Only workloads that talk to the Kubernetes API get a token mounted. */
  readonly kubernetesApi: boolean;
  readonly tier: "critical" | "standard" | "batch";
  /** Timeouts, retries, circuit breaking, load balancing, affinity and splits (see traffic-model.ts). */
  readonly traffic?: TrafficPolicy;
  /** KEDA triggers, right-sizing, progressive delivery and spot capacity (see scaling-model.ts). */
  readonly scaling?: ScalingPolicy;
  /** `worker`, `job`, `cronjob` (see workload-kind.ts); absent for a `service`. */
  readonly workload?: WorkloadKind;
  /** The run policy of a `job` / `cronjob`. */
  readonly batch?: BatchPolicy;
}

export interface DatabaseModel extends Entity, DatabaseCloud, DatabaseBootstrap, DatabaseRecovery, DatabaseDrill {
  readonly namespace: string;
  readonly pattern?: string;
  readonly engine: "postgres";
  readonly version: string;
  /**
   * `operator`: a CloudNativePG Cluster (replication, failover, TLS, backups by the operator);
   * `standalone` (`engine postgres 16 standalone`): one plain PostgreSQL StatefulSet pod with TLS from cert-manager.
   */
  readonly mode: "operator" | "standalone";
  readonly instances: number;
  readonly storage: { readonly size: string; readonly bytes: number; readonly tier: string };
  readonly resources: Resources;
  readonly credentials: { readonly store: string; readonly path: string; readonly rotateMs?: number };
  readonly database: string;
  readonly backup?: { readonly everyMs: number; readonly keepMs: number };
  readonly port: number;
}

export interface StorageTier {
  readonly name: string;
  readonly performance: "fast" | "standard" | "archive";
}

export interface PlatformModel {
  readonly environment: string;
  readonly platform: PlatformInfo;
  readonly namespaces: readonly NamespaceModel[];
  readonly secretStores: readonly SecretStoreModel[];
  readonly services: readonly ServiceModel[];
  readonly databases: readonly DatabaseModel[];
  /** cert-manager issuers declared with `issuer`. */
  readonly issuers?: readonly IssuerModel[];
  /** Node pools declared with `nodepool` (model/nodepool-model.ts). */
  readonly nodePools?: readonly NodePoolModel[];
  /** `override <kind>/<name>` blocks for this environment, applied last to the emitted objects (emit/overrides). */
  readonly overrides?: readonly ObjectOverride[];
}
