import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { DeclInfo } from "../semantic/declarations.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { Ref } from "../semantic/readers.js";
import type { SecretRead } from "../semantic/schema/service.js";
import type {
  Cloud, ConfigEntry, DatabaseModel, DatabaseOutput, Exposure, NamespaceModel, PlatformInfo, PortModel, Probe,
  Quota, SecretEnv, SecretStoreModel, ServiceModel,
} from "./platform-model.js";
import { mergeConfig, type ConfigRead } from "../semantic/config-types.js";
import { lowerPlatformTraffic, lowerServiceTraffic } from "./lower-traffic.js";
import { lowerDatabaseCloud, lowerPlatformCloud } from "./cloud-model.js";
import { lowerDatabaseBootstrap } from "./database-bootstrap.js";
import { lowerServiceScaling } from "./lower-scaling.js";
import { lowerPlatformObservability, lowerServiceObservability } from "./lower-observability.js";
import { lowerPlatformMesh } from "./mesh.js";
import { lowerPlatformEgressGateway } from "./egress-gateway.js";
import { lowerServiceEgress } from "./lower-egress.js";
import { lowerServiceAudit, type AuditLogModel } from "./audit-model.js";
import { lowerPlatformAdmission } from "./compliance/policy-engine.js";
import { lowerPlatformDelivery } from "./delivery-model.js";
import { lowerPlatformPipeline } from "./pipeline-model.js";
import { lowerBudget } from "./cost/budget.js";
import { lowerPlatformSleep } from "./sleep.js";
import { lowerPlatformChaos } from "./chaos-model.js";
import { lowerPlatformProfiling } from "./profiling.js";
import { lowerNamespaceSupplyChain, lowerPlatformSupplyChain } from "./supply-chain.js";
import { lowerDatabaseRecovery } from "./recovery.js";
import { lowerDatabaseDrill } from "./drill-model.js";
import { lowerPlatformSmokeTests, lowerServiceSmokeTest } from "./smoke-test-model.js";
import type { ServiceExposure } from "./service-exposure.js";
import type { ProbeRead } from "../semantic/schema/probe-field.js";

/** Only a load balancer or node port is kept (`cluster-ip` is the default), with the range of its value for FIN3029. */
const serviceType = (t: (ServiceExposure & { range?: SourceRange }) | undefined): { serviceType?: ServiceExposure } => {
  const origin = t?.range ? { origin: t.range } : {};
  return t?.kind === "load-balancer" ? { serviceType: { kind: t.kind, internal: t.internal, ...origin } } : t?.kind === "node-port" ? { serviceType: { kind: t.kind, ...origin } } : {};
};

/**
 * typed field values → model entities, applying the built-in defaults. The stdlib
 * patterns carry the opinionated FinTech defaults; these are the floor that keeps
 * every output valid and secure even without a pattern.
 */
const entity = (d: DeclInfo, v: FieldValues) => ({
  name: d.name,
  origin: { file: d.file, start: d.node.start, end: d.node.end } as SourceRange,
  fields: { ...v.origins },
  ...(d.node.doc ? { doc: d.node.doc } : {}),
});

export function lowerPlatform(d: DeclInfo, v: FieldValues): PlatformInfo {
  const registry = v.get<{ host: string; store: Ref; path: string; key: string }>("registry");
  return {
    ...entity(d, v),
    cloud: v.get<Cloud>("cloud") ?? "aws",
    regions: v.get<{ name: string; primary: boolean }[]>("regions") ?? [],
    kubernetes: v.get<string>("kubernetes") ?? "1.31",
    compliance: v.get<string[]>("compliance") ?? [],
    environments: (v.get<Ref[]>("environments") ?? []).map((r) => r.name),
    ...(registry ? { registry: { host: registry.host, credentials: { kind: "store", store: registry.store.name, path: registry.path, key: registry.key } } } : {}),
    mesh: v.get<{ kind: "istio" | "none" }>("mesh")?.kind ?? "none",
    ingress: v.get<{ kind: PlatformInfo["ingress"] }>("ingress")?.kind ?? "nginx",
    ...(v.get<{ waf?: string }>("ingress")?.waf ? { waf: v.get<{ waf: string }>("ingress")!.waf } : {}),
    ...lowerPlatformTraffic(v),
    ...lowerPlatformCloud(v),
    ...lowerPlatformObservability(v),
    ...lowerPlatformMesh(v),
    ...lowerPlatformEgressGateway(v),
    ...lowerPlatformAdmission(v),
    ...lowerPlatformDelivery(v),
    ...lowerPlatformPipeline(v),
    ...lowerBudget(v),
    ...lowerPlatformSleep(v),
    ...(v.get<string>("cost-center") ? { costCenter: v.get<string>("cost-center")! } : {}),
    ...lowerPlatformChaos(v),
    ...lowerPlatformProfiling(v),
    ...lowerPlatformSupplyChain(v),
    ...lowerPlatformSmokeTests(v),
  };
}

export function lowerNamespace(d: DeclInfo, v: FieldValues): NamespaceModel {
  const residency = v.get<string>("residency");
  const quota = v.get<Quota>("quota");
  return {
    ...entity(d, v),
    security: v.get<NamespaceModel["security"]>("security") ?? "restricted",
    ...(quota ? { quota } : {}),
    ...(residency ? { residency } : {}),
    ...lowerBudget(v),
    ...(v.get<string>("cost-center") ? { costCenter: v.get<string>("cost-center")! } : {}),
    ...lowerNamespaceSupplyChain(v),
  };
}

export function lowerSecretStore(d: DeclInfo, v: FieldValues): SecretStoreModel {
  const path = v.get<string>("path");
  const role = v.get<string>("role");
  const refresh = v.get<number>("refresh");
  const cidr = v.get<string>("cidr");
  return {
    ...entity(d, v),
    provider: v.get<SecretStoreModel["provider"]>("provider") ?? "vault",
    server: v.get<string>("server") ?? "",
    ...(path ? { path } : {}),
    ...(role ? { role } : {}),
    scope: v.get<SecretStoreModel["scope"]>("scope") ?? "namespace",
    ...(refresh !== undefined ? { refreshMs: refresh } : {}),
    delivery: v.get<SecretStoreModel["delivery"]>("delivery") ?? "eso",
    ...(cidr ? { cidr } : {}),
  };
}

const DEFAULT_RESOURCES = { cpu: { request: 100, limit: 500 }, memory: { request: 128 * 1024 ** 2, limit: 256 * 1024 ** 2 } };

function lastByKey<T>(items: T[], key: (t: T) => string): T[] {
  const m = new Map<string, T>();
  for (const i of items) {
    m.delete(key(i));
    m.set(key(i), i);
  }
  return [...m.values()];
}

export function lowerService(d: DeclInfo, v: FieldValues, namespace: string): ServiceModel {
  const ports = (v.get<(PortModel & { range: SourceRange })[]>("port") ?? []).map(({ name, port, containerPort, protocol }) => ({ name, port, ...(containerPort !== undefined && containerPort !== port ? { containerPort } : {}), protocol }));
  const first = ports[0];
  const probes: { readiness?: Probe; liveness?: Probe; startup?: Probe } = {};
  for (const { kind, port, ...rest } of v.get<ProbeRead[]>("probe") ?? []) {
    const probe: Probe = { ...rest, port: port?.name ?? first?.name ?? "http" };
    if (kind === "health") Object.assign(probes, { readiness: probe, liveness: probe, startup: probe });
    else probes[kind] = probe;
  }
  // A typed key without a value is reported by the checker (FIN3003) and left out here.
  const config = mergeConfig(v.all<ConfigRead[]>("config").flat()).flatMap((c): ConfigEntry[] =>
    c.value ? [{ key: c.key, value: c.value.text, origin: c.range, ...(c.type ? { type: c.type } : {}), ...(c.doc ? { doc: c.doc } : {}) }] : [],
  );
  const configMount = v.get<{ path: string }>("config-mount")?.path;
  // File secrets (`secret file …`) are lowered with the volumes (volumes.ts, lower-workloads.ts).
  const secrets = lastByKey(v.all<SecretRead[]>("secret").flat().filter((s) => s.kind !== "files"), (s) => s.env).map(
    (s): SecretEnv => ({
      env: s.env,
      origin: s.range,
      source:
        s.kind === "store" ? { kind: "store", store: s.store.name, path: s.path, key: s.key, ...(s.refreshMs !== undefined ? { refreshMs: s.refreshMs } : {}) }
        : s.kind === "sealed" ? { kind: "sealed", ciphertext: s.ciphertext }
        : { kind: "output", database: s.database.name, output: s.output.name as DatabaseOutput },
    }),
  );
  const cpu = v.get<{ request: number; limit: number }>("cpu") ?? DEFAULT_RESOURCES.cpu;
  const memory = v.get<{ request: number; limit: number }>("memory") ?? DEFAULT_RESOURCES.memory;
  const replicas = v.get<ServiceModel["replicas"] & { range?: SourceRange }>("replicas");
  const update = v.get<{ maxSurge?: string | number; maxUnavailable?: string | number }>("update") ?? {};
  const migrate = v.get<ServiceModel["migrate"]>("migrate");
  const limit = v.get<ServiceModel["rateLimit"]>("limit");
  const grace = v.get<number>("grace");
  return {
    ...entity(d, v),
    namespace,
    ...(d.node.base ? { pattern: d.node.base.text } : {}),
    image: v.get<{ value: string }>("image")?.value ?? "",
    ports,
    replicas: replicas ? { min: replicas.min, max: replicas.max, ...(replicas.cpuTarget !== undefined ? { cpuTarget: replicas.cpuTarget } : {}), ...(replicas.memoryTarget !== undefined ? { memoryTarget: replicas.memoryTarget } : {}) } : { min: 2, max: 2 },
    resources: { cpu, memory },
    config,
    ...(configMount ? { configMount } : {}),
    configImmutable: v.get<string>("config-immutable") === "yes",
    secrets,
    ...(migrate ? { migrate } : {}),
    expose: v.all<Exposure[]>("expose").flat(),
    ...serviceType(v.get<ServiceExposure>("service-type")),
    calls: [...new Set(v.all<Ref[]>("calls").flat().map((r) => r.name))],
    ...(limit ? { rateLimit: limit } : {}),
    probes,
    terminationGraceSeconds: grace !== undefined ? Math.ceil(grace / 1000) : 30,
    runAsUser: v.get<number>("user") ?? 10001,
    update: { maxSurge: update.maxSurge ?? "25%", maxUnavailable: update.maxUnavailable ?? 0 },
    writable: [...new Set(["/tmp", ...v.all<string[]>("writable").flat()])],
    kubernetesApi: v.get<string>("kubernetes-api") === "yes",
    tier: v.get<ServiceModel["tier"]>("tier") ?? "standard",
    ...lowerServiceTraffic(v),
    ...lowerServiceScaling(v),
    ...lowerServiceObservability(v),
    ...lowerServiceEgress(v),
    ...lowerServiceAudit(v.get<AuditLogModel>("audit-log")),
    ...lowerServiceSmokeTest(v),
  };
}

export function lowerDatabase(d: DeclInfo, v: FieldValues, namespace: string): DatabaseModel {
  const engine = v.get<{ engine: "postgres"; version: string; standalone?: boolean }>("engine") ?? { engine: "postgres", version: "16" };
  const storage = v.get<DatabaseModel["storage"]>("storage") ?? { size: "10Gi", bytes: 10 * 1024 ** 3, tier: "standard" };
  const creds = v.get<{ store: Ref; path: string; rotateMs?: number }>("credentials");
  const backup = v.get<DatabaseModel["backup"]>("backup");
  return {
    ...entity(d, v),
    namespace,
    ...(d.node.base ? { pattern: d.node.base.text } : {}),
    engine: engine.engine,
    version: engine.version,
    mode: engine.standalone ? "standalone" : "operator",
    instances: v.get<number>("instances") ?? 1,
    storage,
    resources: {
      cpu: v.get<{ request: number; limit: number }>("cpu") ?? { request: 500, limit: 2000 },
      memory: v.get<{ request: number; limit: number }>("memory") ?? { request: 1024 ** 3, limit: 1024 ** 3 },
    },
    credentials: { store: creds?.store.name ?? "", path: creds?.path ?? "", ...(creds?.rotateMs !== undefined ? { rotateMs: creds.rotateMs } : {}) },
    database: v.get<string>("name") ?? d.name.replace(/-/g, "_"),
    ...(backup ? { backup } : {}),
    port: v.get<number>("port") ?? 5432,
    ...lowerDatabaseCloud(v),
    ...lowerDatabaseBootstrap(v),
    ...lowerDatabaseRecovery(v),
    ...lowerDatabaseDrill(v),
  };
}
