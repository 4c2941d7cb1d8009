import type { InputObject } from "./yaml-input.js";

/**
 * What `finc import` found in the input manifests, in finc's terms: the small intermediate
 * model between the YAML and the .fin text. Every field says what it came from only where the
 * .fin text must say so (inferred calls, unmapped parts).
 */
export type WorkloadDecl = "service" | "worker" | "cronjob" | "job";

export interface FoundPort {
  readonly name: string;
  /** The Service's port (what callers use); equals containerPort without a Service or when they agree. */
  readonly port: number;
  readonly containerPort: number;
}

export interface FoundProbe {
  readonly kind: "readiness" | "liveness" | "startup";
  readonly handler: { readonly type: "http"; readonly path: string } | { readonly type: "tcp" } | { readonly type: "grpc"; readonly service?: string } | { readonly type: "exec"; readonly command: readonly string[] };
  /** A port name of the workload when the probe does not use the workload's first port. */
  readonly on?: string;
  readonly after?: number;
  readonly every?: number;
  readonly timeout?: number;
  readonly failures?: number;
}

export type SecretSource =
  /** `placeholder`: "literal" when the input held the value in plain text (FIN6001), "missing" when the Secret is not in the input. */
  | { readonly type: "store"; readonly store: string; readonly path: string; readonly key?: string; readonly placeholder: false | "literal" | "missing" }
  | { readonly type: "database"; readonly database: string; readonly output: "url" | "host" | "port" | "name" | "username" | "password" };

export interface FoundSecret {
  readonly env: string;
  readonly source: SecretSource;
}

export interface FoundCall {
  readonly target: string;
  /** Why: "network-policy <name>", "authorization-policy <name>", or "env FOO" (inferred, said in a comment). */
  readonly reason: string;
  readonly inferred: boolean;
}

export interface FoundExpose {
  readonly host: string;
  readonly path?: string;
  readonly tls?: string;
}

/** A part of an input object finc has no field for: an `override` line, or a comment block with its YAML. */
export interface Unmapped {
  readonly origin: InputObject;
  readonly pointer: string;
  /** The part itself; written as YAML in a comment (credentials in it masked). */
  readonly value: unknown;
}

export interface OverrideLine {
  /** `deployment/api` */
  readonly target: string;
  /** The override line's text, e.g. `spec.template.spec.nodeSelector "disktype" "ssd"`. */
  readonly line: string;
  /** Where it came from, for the comment above it. */
  readonly from: string;
}

export interface FoundWorkload {
  readonly decl: WorkloadDecl;
  readonly name: string;
  readonly namespace: string;
  readonly origin: InputObject;
  readonly doc?: string;
  image: string;
  ports: FoundPort[];
  probes: FoundProbe[];
  config: { key: string; value: string }[];
  secrets: FoundSecret[];
  /** Downward API env: `env NAME from pod.namespace`. */
  env: { name: string; from: string }[];
  cpu?: { request?: string; limit?: string };
  memory?: { request?: string; limit?: string };
  ephemeral?: { request?: string; limit?: string };
  replicas?: number;
  autoscale?: { min: number; max: number; cpu?: number; memory?: number };
  user?: number;
  grace?: number;
  writable: string[];
  volume?: { path: string; size: string; storageClass?: string; perReplica: boolean };
  serviceType?: "load-balancer" | "node-port";
  schedule?: string;
  timezone?: string;
  concurrency?: "forbid" | "replace" | "allow";
  suspend?: boolean;
  backoff?: number;
  deadline?: number;
  startingDeadline?: number;
  history?: { successful?: number; failed?: number };
  restart?: "never" | "on-failure";
  ttl?: number;
  /** Init containers that are just an image and a command: `init "<image>" run [...]`. */
  init: { image: string; run: string[] }[];
  calls: FoundCall[];
  expose: FoundExpose[];
  metricsScraped: boolean;
  /** The stdlib pattern this workload looks like, proposed in a comment (never applied: it would change fields). */
  pattern?: { name: string; why: string };
  overrides: OverrideLine[];
  unmapped: Unmapped[];
  /** Pod labels used to match NetworkPolicy/AuthorizationPolicy selectors. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
}

export interface FoundDatabase {
  readonly name: string;
  readonly namespace: string;
  readonly origin: InputObject;
  instances?: number;
  storage: string;
  storageClass?: string;
  engineMajor?: number;
  databaseName?: string;
  credentials: { store: string; path: string };
  backup?: string;
}

export interface FoundStore {
  readonly name: string;
  readonly provider: "vault" | "aws" | "gcp" | "azure";
  readonly server?: string;
  readonly path?: string;
  readonly role?: string;
  /** Generated because the input had literal Secrets: nothing in the input says where the store is. */
  readonly placeholder: boolean;
}

export interface FoundIssuer {
  readonly name: string;
  /** From the input's cert-manager annotation; otherwise generated with a TODO. */
  readonly fromInput: boolean;
}

export interface FoundPlatform {
  name: string;
  environment: string;
  mesh: boolean;
  ingress?: "nginx" | "istio" | "traefik";
  monitoring: boolean;
}

export type Outcome = "mapped" | "partly mapped" | "not mapped";

/** One row of the import table: every input object gets exactly one. */
export interface Disposition {
  readonly origin: InputObject;
  readonly outcome: Outcome;
  readonly detail: string;
}

export interface Found {
  readonly platform: FoundPlatform;
  readonly namespaces: string[];
  readonly workloads: FoundWorkload[];
  readonly databases: FoundDatabase[];
  readonly stores: FoundStore[];
  readonly issuers: FoundIssuer[];
  /** Whole objects with nothing finc models, dumped as comment blocks (never Secrets). */
  readonly unmappedObjects: Unmapped[];
  readonly dispositions: Disposition[];
}
