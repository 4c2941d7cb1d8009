import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { DeclInfo } from "../semantic/declarations.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { AcmeSolver, DnsModel, IssuerModel, MeshMode, TracingModel, TrafficPolicy } from "./traffic-model.js";

/** Platform traffic fields → model (spread into lowerPlatform). */
export function lowerPlatformTraffic(v: FieldValues): { tracing?: TracingModel; dns?: DnsModel; meshMode?: MeshMode } {
  const tracing = v.get<TracingModel>("tracing");
  const dns = v.get<DnsModel>("dns");
  const mesh = v.get<{ kind: "istio" | "none"; mode: MeshMode }>("mesh");
  return { ...(tracing ? { tracing } : {}), ...(dns ? { dns } : {}), ...(mesh?.kind === "istio" && mesh.mode === "ambient" ? { meshMode: "ambient" as const } : {}) };
}

/** Service traffic fields → `traffic`, present only when at least one is set (spread into lowerService). */
export function lowerServiceTraffic(v: FieldValues): { traffic?: TrafficPolicy } {
  const t: { -readonly [K in keyof TrafficPolicy]: TrafficPolicy[K] } = {};
  const timeout = v.get<number>("timeout");
  if (timeout !== undefined) t.timeoutMs = timeout;
  const retries = v.get<{ attempts: number; perTryMs?: number; on: string[] }>("retries");
  if (retries) t.retries = { attempts: retries.attempts, ...(retries.perTryMs !== undefined ? { perTryMs: retries.perTryMs } : {}), on: retries.on };
  const cb = v.get<TrafficPolicy["circuitBreaker"]>("circuit-breaker");
  if (cb) t.circuitBreaker = cb;
  const conn = v.get<TrafficPolicy["connections"]>("connections");
  if (conn) t.connections = conn;
  const balance = v.get<TrafficPolicy["balance"]>("balance");
  if (balance) t.balance = balance;
  const affinity = v.get<TrafficPolicy["affinity"]>("affinity");
  if (affinity) t.affinity = affinity;
  const split = v.get<{ version: string; weight: number; image?: string; range: SourceRange }[]>("split");
  if (split) t.split = split.map(({ version, weight, image }) => ({ version, weight, ...(image ? { image } : {}) }));
  return Object.keys(t).length ? { traffic: t } : {};
}

export function lowerIssuer(d: DeclInfo, v: FieldValues): IssuerModel {
  const acme = v.get<{ server: string; email: string }>("acme");
  const ca = v.get<string>("ca");
  const solver = v.get<AcmeSolver>("solver");
  return {
    name: d.name,
    origin: { file: d.file, start: d.node.start, end: d.node.end },
    fields: { ...v.origins },
    ...(d.node.doc ? { doc: d.node.doc } : {}),
    ...(acme ? { acme } : {}),
    ...(ca ? { ca: { secret: ca } } : {}),
    ...(solver ? { solver } : {}),
  };
}
