import type { ServiceModel } from "./platform-model.js";

/**
 * What runs a declaration's pods: a `service` (Deployment + Service), a `worker` (a Deployment
 * with no Service: a queue consumer), a `job` (a batch/v1 Job run once per deploy) or a
 * `cronjob` (a batch/v1 CronJob). All four share the ServiceModel — image, resources, config,
 * secrets, calls, egress, RBAC, security context — so every emitter that wires a pod wires
 * theirs the same way; only the objects around the pod differ.
 */
export type WorkloadKind = "service" | "worker" | "job" | "cronjob";
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ["service", "worker", "job", "cronjob"];

/** The defaults of a job's run policy (documented in the field specs and the README). */
export const BATCH_DEFAULTS = {
  backoffLimit: 3,
  activeDeadlineSeconds: 3600,
  restartPolicy: "Never",
  concurrencyPolicy: "Forbid",
  startingDeadlineSeconds: 600,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 3,
  timeZone: "Etc/UTC",
} as const;

/** The run policy of a `job` or `cronjob` (batch/v1 Job / CronJob fields). */
export interface BatchPolicy {
  /** Job backoffLimit: retries before the Job fails. */
  readonly backoffLimit: number;
  /** Job activeDeadlineSeconds (`timeout 2h`): a hung run is killed and counted as failed. */
  readonly activeDeadlineSeconds: number;
  /** Job ttlSecondsAfterFinished (`ttl 1d`). */
  readonly ttlSecondsAfterFinished?: number;
  readonly restartPolicy: "OnFailure" | "Never";
  /** CronJob only. */
  readonly schedule?: CronSchedule;
}

export interface CronSchedule {
  readonly cron: string;
  readonly timeZone: string;
  /** Forbid by default: a settlement run must never overlap the previous one. */
  readonly concurrencyPolicy: "Forbid" | "Replace" | "Allow";
  readonly startingDeadlineSeconds: number;
  readonly successfulJobsHistoryLimit: number;
  readonly failedJobsHistoryLimit: number;
  readonly suspend: boolean;
}

export function workloadKind(s: ServiceModel): WorkloadKind {
  return s.workload ?? "service";
}

/** Only a `service` has a Service object, DestinationRule, routes and callers. */
export function servesTraffic(s: ServiceModel): boolean {
  return workloadKind(s) === "service";
}

/** A `job` or `cronjob`: pods that run to completion. */
export function isBatch(s: ServiceModel): boolean {
  const k = workloadKind(s);
  return k === "job" || k === "cronjob";
}
