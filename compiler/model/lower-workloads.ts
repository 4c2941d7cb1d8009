import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { DeclInfo } from "../semantic/declarations.js";
import type { FieldValues } from "../semantic/read-fields.js";
import { lowerService } from "./lower.js";
import { lowerPodDetails } from "./pod-details.js";
import { lowerScheduling } from "./scheduling.js";
import { lowerProfiling } from "./profiling.js";
import type { PortModel, ServiceModel } from "./platform-model.js";
import { BATCH_DEFAULTS, type BatchPolicy, type WorkloadKind } from "./workload-kind.js";
import { lowerSecretFiles, lowerVolumes } from "./lower-volumes.js";

const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : Math.ceil(ms / 1000));

/**
 * A `service`, `worker`, `job` or `cronjob` → one ServiceModel. A worker's only ports are its own
 * `metrics` and `health` ports; a job or cron job has none, runs one pod per run and carries its
 * run policy (defaults in BATCH_DEFAULTS).
 */
export function lowerWorkload(d: DeclInfo, v: FieldValues, namespace: string): ServiceModel {
  const plain = lowerService(d, v, namespace);
  // Secret files and volumes (volumes.ts): the files join the workload's secrets, marked with where they land.
  const service: ServiceModel = { ...plain, secrets: [...plain.secrets, ...lowerSecretFiles(v)], ...lowerVolumes(v) };
  const kind = d.kind as WorkloadKind;
  // Exposed through the gateway or a cloud balancer: drains before it stops (pod-details.ts).
  const exposed = kind === "service" && (plain.expose.length > 0 || plain.serviceType?.kind === "load-balancer");
  Object.assign(service, lowerPodDetails(v, exposed, plain.terminationGraceSeconds), lowerScheduling(v), lowerProfiling(v));
  if (kind === "service") return service;
  // Nothing routes to these: no traffic policy (a job's `timeout` is its run deadline, read below).
  const { traffic: _routes, ...base } = service;
  if (kind === "worker") {
    const metrics = v.get<{ port: number }>("metrics");
    const health = v.get<{ port: number; path: string }>("health");
    const ports: PortModel[] = [
      ...(health ? [{ name: "health", port: health.port, protocol: "http" as const }] : []),
      ...(metrics ? [{ name: "metrics", port: metrics.port, protocol: "http" as const }] : []),
    ];
    // No startup probe: a consumer that starts slowly is simply not ready yet.
    const probe = health ? { path: health.path, port: "health" } : undefined;
    return { ...base, workload: "worker", ports, probes: probe ? { readiness: probe, liveness: probe } : {} };
  }
  const schedule = v.get<{ cron: string }>("schedule");
  const history = v.get<{ successful?: number; failed?: number }>("history") ?? {};
  const ttl = seconds(v.get<number>("ttl"));
  const batch: BatchPolicy = {
    backoffLimit: v.get<number>("backoff") ?? BATCH_DEFAULTS.backoffLimit,
    activeDeadlineSeconds: seconds(v.get<number>("timeout")) ?? BATCH_DEFAULTS.activeDeadlineSeconds,
    ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}),
    restartPolicy: v.get<string>("restart") === "on-failure" ? "OnFailure" : BATCH_DEFAULTS.restartPolicy,
    ...(kind === "cronjob"
      ? {
          schedule: {
            cron: schedule?.cron ?? "0 0 * * *",
            timeZone: v.get<string>("timezone") ?? BATCH_DEFAULTS.timeZone,
            concurrencyPolicy: ({ forbid: "Forbid", replace: "Replace", allow: "Allow" } as const)[v.get<"forbid" | "replace" | "allow">("concurrency") ?? "forbid"],
            startingDeadlineSeconds: seconds(v.get<{ ms: number; range: SourceRange }>("starting-deadline")?.ms) ?? BATCH_DEFAULTS.startingDeadlineSeconds,
            successfulJobsHistoryLimit: history.successful ?? BATCH_DEFAULTS.successfulJobsHistoryLimit,
            failedJobsHistoryLimit: history.failed ?? BATCH_DEFAULTS.failedJobsHistoryLimit,
            suspend: v.get<string>("suspend") === "yes",
          },
        }
      : {}),
  };
  return { ...base, workload: kind, ports: [], probes: {}, replicas: { min: 1, max: 1 }, batch };
}
