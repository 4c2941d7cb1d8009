import { formatCpu, formatDuration, formatMemory, INT32_MAX } from "../../model/units.js";

/**
 * The declared range of every number a field accepts, as data: the field specs list them
 * (`FieldSpec.numbers`, for hover, completion and the docs) and the readers enforce the
 * same objects (`TermReader.count(range)`, `.duration(range)` …). One number of a field is
 * one range; a value outside it is FIN3004 at the number.
 *
 * Bounds are in finc's canonical unit of the kind: a count, millicores, bytes, milliseconds,
 * percent, or requests per period of a rate. `step` is what the value must be a whole
 * multiple of: 1000 for a duration that lands in a field counted in seconds (a `500ms`
 * grace period would be silently rounded), 1 for counts, millicores, bytes and percentages
 * that land in integer fields.
 */
export type NumberKind = "count" | "cpu" | "memory" | "duration" | "percent" | "rate" | "decimal";

export interface ValueRange {
  readonly kind: NumberKind;
  /** What the number is, as a diagnostic's subject: "The grace period". */
  readonly what: string;
  /** Where it lands and that field's type: "Pod terminationGracePeriodSeconds (int64, seconds)". */
  readonly target: string;
  /** Inclusive bounds (the lower one exclusive with `minExclusive`), in the kind's canonical unit. */
  readonly min: number;
  readonly max: number;
  readonly minExclusive?: boolean;
  /** The value must be a whole multiple of this (see above); none for decimal targets. */
  readonly step?: number;
  /** A value of the field in which this number appears, when the field's example has none (tests drive every range through it). */
  readonly example?: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MI = 1024 ** 2;
const GI = 1024 ** 3;
const TI = 1024 ** 4;

const count = (what: string, target: string, min: number, max: number, example?: string): ValueRange => ({ kind: "count", what, target, min, max, step: 1, ...(example ? { example } : {}) });
const duration = (what: string, target: string, min: number, max: number, step: number, example?: string): ValueRange => ({ kind: "duration", what, target, min, max, step, ...(example ? { example } : {}) });
const wholePercent = (what: string, target: string, min: number, example?: string): ValueRange => ({ kind: "percent", what, target, min, max: 100, step: 1, ...(example ? { example } : {}) });

/** Durations in Go-duration strings (Istio, ESO, Prometheus) keep milliseconds; `step` 1 ms. */
const GO = 1;

export const RANGES = {
  // Workload shape (Deployment, pod).
  port: count("A port number", "containerPort / Service port (int32, 1–65535)", 1, 65535),
  auditMonths: count("An audit-log retention in months", "the audit bucket's Object Lock and lifecycle days (31 per month)", 1, 120),
  replicas: count("Replicas", "Deployment replicas / HPA minReplicas (int32)", 0, 10_000),
  maxReplicas: count("Maximum replicas", "HPA maxReplicas (int32)", 1, 10_000, "2 to 10"),
  // HPA averageUtilization is an int32 percentage of the request; finc keeps targets at most 100%.
  utilization: wholePercent("A utilisation target", "HPA averageUtilization (int32, percent)", 1),
  // Linux uids are 32-bit and several runtimes treat them as signed: at most 2^31-1; 0 is root.
  user: count("A non-root user id", "runAsUser / runAsGroup (int64; a Linux uid)", 1, INT32_MAX),
  // 0 would kill the pod without draining, which is what `grace` exists to prevent; a pod that
  // takes more than a day to stop blocks node drains and rollouts.
  grace: duration("The grace period", "Pod terminationGracePeriodSeconds (int64, whole seconds)", SECOND, DAY, SECOND),
  // Probes (probe-field.ts): kubelet fields in whole seconds. A period or timeout under a second
  // is not expressible; past an hour a probe no longer detects anything in time.
  probeDelay: duration("The probe's initial delay", "probe initialDelaySeconds (int32, whole seconds)", 0, HOUR, SECOND, "readiness /ready after 10s"),
  probePeriod: duration("The probe period", "probe periodSeconds (int32, whole seconds)", SECOND, HOUR, SECOND, "readiness /ready every 5s"),
  probeTimeout: duration("The probe timeout", "probe timeoutSeconds (int32, whole seconds)", SECOND, HOUR, SECOND, "readiness /ready timeout 3s"),
  probeFailures: count("The failure threshold", "probe failureThreshold (int32)", 1, 1000, "readiness /ready failures 3"),
  surge: count("The surge", "Deployment maxSurge (int-or-string: int32)", 0, 10_000, "surge 1"),
  surgePercent: wholePercent("The surge", "Deployment maxSurge (int-or-string: a whole percentage)", 0, "surge 25%"),
  unavailable: count("The unavailable budget", "Deployment maxUnavailable (int-or-string: int32)", 0, 10_000, "unavailable 1"),
  unavailablePercent: wholePercent("The unavailable budget", "Deployment maxUnavailable (int-or-string: a whole percentage)", 0, "unavailable 25%"),

  // Resources. A container below 4Mi cannot start its process (Docker refuses limits under 6MB);
  // no node finc targets has more than 16Ti of memory or 1024 cores (the largest cloud instances:
  // 448 vCPUs and 24TiB, and Kubernetes supports at most 110 pods per node by default).
  cpu: { kind: "cpu", what: "A CPU quantity", target: "resources.requests/limits.cpu (quantity, whole millicores)", min: 1, max: 1024 * 1000, step: 1 } as ValueRange,
  memory: { kind: "memory", what: "A memory quantity", target: "resources.requests/limits.memory (quantity, whole bytes)", min: 4 * MI, max: 16 * TI, step: 1 } as ValueRange,
  // Cloud block volumes (EBS, Persistent Disk, Azure Disk) are 1GiB to 64TiB.
  storage: { kind: "memory", what: "The volume size", target: "PersistentVolumeClaim resources.requests.storage (quantity)", min: GI, max: 64 * TI, step: 1 } as ValueRange,
  // A namespace quota sums many nodes: up to 100,000 cores and 1PiB.
  quotaCpu: { kind: "cpu", what: "The CPU quota", target: "ResourceQuota hard requests.cpu/limits.cpu (quantity, whole millicores)", min: 1, max: 100_000 * 1000, step: 1, example: "cpu 40" } as ValueRange,
  quotaMemory: { kind: "memory", what: "The memory quota", target: "ResourceQuota hard requests.memory/limits.memory (quantity, whole bytes)", min: MI, max: 1024 * TI, step: 1, example: "memory 128Gi" } as ValueRange,
  quotaPods: count("The pod quota", "ResourceQuota hard pods (quantity)", 1, 100_000, "pods 200"),

  // Traffic (Istio). Istio rejects durations under 1ms; a request that runs for more than a day is not one.
  timeout: duration("The route timeout", "VirtualService http.timeout (duration, ≥ 1ms)", 1, DAY, GO),
  retries: count("Retry attempts", "VirtualService http.retries.attempts (int32)", 0, 20),
  perTry: duration("The per-try timeout", "VirtualService http.retries.perTryTimeout (duration, ≥ 1ms)", 1, DAY, GO),
  consecutiveErrors: count("Consecutive errors", "DestinationRule outlierDetection.consecutive5xxErrors (uint32)", 1, 1000),
  outlierInterval: duration("The outlier detection interval", "DestinationRule outlierDetection.interval (duration, ≥ 1ms)", 1, DAY, GO),
  ejection: duration("The ejection time", "DestinationRule outlierDetection.baseEjectionTime (duration, ≥ 1ms)", 1, DAY, GO),
  maxEjection: wholePercent("The maximum ejection", "DestinationRule outlierDetection.maxEjectionPercent (int32)", 0, "5 errors in 30s max 50%"),
  connections: count("Maximum connections", "DestinationRule connectionPool.tcp.maxConnections (int32)", 1, 1_000_000),
  pending: count("Pending requests", "DestinationRule connectionPool.http.http1MaxPendingRequests (int32)", 1, 1_000_000),
  splitWeight: wholePercent("A split weight", "VirtualService route weight (int32)", 0),
  // Envoy's token bucket holds a uint32 of tokens refilled per period; less than one a period cannot be enforced.
  rate: { kind: "rate", what: "The rate limit", target: "EnvoyFilter local_ratelimit token_bucket (uint32 tokens per fill interval)", min: 1, max: 1_000_000_000, step: 1 } as ValueRange,
  sampling: { kind: "percent", what: "The trace sampling", target: "Telemetry randomSamplingPercentage (double, 0–100)", min: 0, max: 100 } as ValueRange,
  // external-dns writes the TTL in whole seconds; resolvers cap TTLs at about a week anyway.
  dnsTtl: duration("The DNS TTL", "external-dns ttl annotation (whole seconds)", SECOND, 7 * DAY, SECOND, "external-dns ttl 5m"),

  // Secrets. ESO's refreshInterval is a Go duration; faster than every second would hammer the store.
  refresh: duration("The refresh interval", "ExternalSecret refreshInterval (duration)", SECOND, 365 * DAY, GO),
  // The operator re-reads rotated credentials every quarter period but at most once a minute:
  // a period under 4m would be re-read less often than it rotates.
  rotate: duration("The rotation period", "ExternalSecret refreshInterval (a quarter of it, at least 1m)", 4 * MINUTE, 365 * DAY, GO, 'from vault "team/db" rotate 24h'),

  // Databases.
  instances: count("Instances", "StatefulSet replicas (int32)", 1, 9),
  postgres: count("The PostgreSQL major version", "the postgres image tag", 13, 18),
  // Velero schedules are cron expressions (whole minutes); `backupEvery` checks the shape.
  backupEvery: duration("The backup interval", "Velero Schedule schedule (cron, whole minutes)", MINUTE, 31 * DAY, MINUTE),
  // Velero's TTL is written in whole hours; ten years is the longest retention any regulation asks for.
  backupKeep: duration("The backup retention", "Velero Schedule template.ttl (whole hours)", HOUR, 3650 * DAY, HOUR),

  // Scaling (KEDA, Argo Rollouts).
  scaleTarget: count("A scaling target", "ScaledObject trigger metadata (lagThreshold, queueLength, desiredReplicas)", 1, 1_000_000),
  // KEDA parses the threshold as a float64 quantity; beyond 2^53 it is no longer exact.
  threshold: { kind: "decimal", what: "The target value per replica", target: "ScaledObject prometheus threshold (float64)", min: 0, minExclusive: true, max: Number.MAX_SAFE_INTEGER } as ValueRange,
  // 0% and weights that do not increase are FIN3018 (check in scaling-fields.ts).
  canaryWeight: wholePercent("A canary weight", "Rollout steps setWeight (int32)", 0),
  // Argo Rollouts reads pause durations in whole seconds, minutes or hours.
  pause: duration("The pause", "Rollout steps pause.duration (whole seconds)", SECOND, 30 * DAY, SECOND, "canary 10% pause 5m"),
  errorRate: { kind: "percent", what: "The error-rate bound", target: "AnalysisTemplate successCondition (a share of requests)", min: 0, minExclusive: true, max: 100, example: "canary 10% while error-rate < 1%" } as ValueRange,
  latencyBound: duration("The latency bound", "AnalysisTemplate successCondition (seconds)", 1, HOUR, GO, "canary 10% while latency p99 < 300ms"),

  // Observability. Prometheus marks series stale after 5m without a sample: a longer scrape interval leaves gaps.
  scrapeInterval: duration("The scrape interval", "ServiceMonitor endpoints.interval (whole seconds)", SECOND, 5 * MINUTE, SECOND),
  availability: { kind: "percent", what: "The availability objective", target: "PrometheusRule error budget (a share of requests)", min: 0, max: 100 } as ValueRange,
  sloLatency: duration("The latency objective", "PrometheusRule histogram bucket (seconds)", 1, HOUR, GO),
  // The window itself is one of 7d, 28d or 30d (FIN3021); this range only keeps absurd numbers out.
  sloWindow: duration("The SLO window", "PrometheusRule range selectors", 1, 365 * DAY, GO, "availability 99.9%, window 30d"),
  // Argo CD sync windows (delivery-field.ts): a Go duration, whole minutes; a window longer than a week never closes.
  syncWindow: duration("The sync window", "AppProject syncWindows.duration (whole minutes)", MINUTE, 7 * DAY, MINUTE, 'argocd repo "https://git.example.com/bank/deploy.git" window "0 9 * * 1-4" 6h'),
  // Chaos Mesh (chaos-field.ts): delay.latency and duration are Go durations; past 10s a call is down, not slow; an experiment longer than an hour is an outage.
  chaosLatency: duration("The injected latency", "NetworkChaos delay.latency (Go duration)", 1, 10 * SECOND, GO, "staging latency 200ms"),
  chaosDuration: duration("The experiment's duration", "Schedule …Chaos.duration (whole seconds)", 10 * SECOND, HOUR, SECOND, "staging for 2m"),
  // Recovery objectives (recovery-field.ts): checked against the database's backups and replicas, never emitted as such.
  rpo: duration("The recovery point objective", "the data a recovery may lose (checked, model/recovery.ts)", 0, 30 * DAY, SECOND, "rpo 30m rto 1h"),
  rto: duration("The recovery time objective", "how long a recovery may take (checked, model/recovery.ts)", MINUTE, 30 * DAY, SECOND, "rpo 30m rto 1h"),
} as const satisfies Record<string, ValueRange>;

/** The bound of a range as a diagnostic writes it: "between 1s and 24h, in whole seconds". */
export function describeBound(r: ValueRange): string {
  const f = (v: number): string => formatValue(r, v);
  const lower = r.minExclusive ? `greater than ${f(r.min)}` : undefined;
  const span = lower ? `${lower} and at most ${f(r.max)}` : `between ${f(r.min)} and ${f(r.max)}`;
  const whole = r.step === undefined || r.step <= 0 ? "" : stepText(r);
  return whole ? `${span}, ${whole}` : span;
}

function stepText(r: ValueRange): string {
  switch (r.kind) {
    case "duration": return r.step === SECOND ? "in whole seconds" : r.step === MINUTE ? "in whole minutes" : r.step === HOUR ? "in whole hours" : "in whole milliseconds";
    case "cpu": return "in whole millicores";
    case "memory": return "in whole bytes";
    case "percent": return "a whole percentage";
    case "rate": return "a whole number of requests per period";
    default: return "";
  }
}

export function formatValue(r: ValueRange, v: number): string {
  switch (r.kind) {
    case "cpu": return formatCpu(v).endsWith("m") ? formatCpu(v) : `${formatCpu(v)} cores`;
    case "memory": return formatMemory(v);
    case "duration": return formatDuration(v);
    case "percent": return `${v}%`;
    default: return String(v);
  }
}

/** Is `v` (already in the canonical unit) inside the range? */
export function inRange(r: ValueRange, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  if (r.minExclusive ? v <= r.min : v < r.min) return false;
  if (v > r.max) return false;
  return r.step === undefined || Number.isInteger(v / r.step);
}
