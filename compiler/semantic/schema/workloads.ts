import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { eachTerm, rangeOf, single } from "../readers.js";
import { field, type FieldSpec, type KindSpec, type RefusedField } from "./field-spec.js";
import { readCron, readTimeZone } from "./scaling-fields.js";
import { RANGES, type ValueRange } from "./value-ranges.js";
import { BATCH_DEFAULTS } from "../../model/workload-kind.js";

/**
 * `worker`, `job` and `cronjob`: the fields of a `service` that make sense without a port, plus
 * their own. A field of `service` that needs a port or a Deployment is refused with a code that
 * says why (FIN3024 on a worker, FIN3025 on a job or cron job), a schedule on anything but a
 * `cronjob` is FIN3026; the checker adds FIN3024 for calls to a worker or job (check-workloads.ts).
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const JOB_RANGES = {
  backoff: { kind: "count", what: "The retry budget", target: "Job backoffLimit (int32)", min: 0, max: 100, step: 1 } as ValueRange,
  timeout: { kind: "duration", what: "The run deadline", target: "Job activeDeadlineSeconds (int64, whole seconds)", min: SECOND, max: 30 * DAY, step: SECOND } as ValueRange,
  ttl: { kind: "duration", what: "The time a finished Job is kept", target: "Job ttlSecondsAfterFinished (int32, whole seconds)", min: SECOND, max: 365 * DAY, step: SECOND } as ValueRange,
  startingDeadline: { kind: "duration", what: "The starting deadline", target: "CronJob startingDeadlineSeconds (int64, whole seconds)", min: SECOND, max: 7 * DAY, step: SECOND } as ValueRange,
  history: { kind: "count", what: "The kept Jobs", target: "CronJob successfulJobsHistoryLimit / failedJobsHistoryLimit (int32)", min: 0, max: 100, step: 1, example: "successful 3, failed 5" } as ValueRange,
} as const;

/** Fields of `service` that need a port, a Service or callers. */
const PORT_FIELDS = ["port", "service-type", "expose", "limit", "probe", "smoke-test", "timeout", "retries", "circuit-breaker", "connections", "balance", "affinity", "split", "rollout", "slo"] as const;
/** Fields of `service`/`worker` that shape a Deployment's replicas. */
const REPLICA_FIELDS = ["replicas", "scale", "right-size", "update"] as const;
/** Fields only a `cronjob` has. */
const SCHEDULE_FIELDS = ["schedule", "timezone", "concurrency", "starting-deadline", "history", "suspend"] as const;

const portHint = (field: string): string =>
  field === "probe" ? "A worker is probed on a port of its own: `health 8081 /healthz` (or none: a crashed process restarts)."
  : field === "port" ? "A worker has no Service; declare the ports it listens on for itself: `metrics 9102`, `health 8081 /healthz`. A workload others call is a `service`."
  : "Nothing can call a worker, so there is nothing to route, expose or limit; make it a `service` with a `port` if it serves requests.";

function refuseAll(fields: readonly string[], make: (f: string) => RefusedField): Record<string, RefusedField> {
  return Object.fromEntries(fields.map((f) => [f, make(f)]));
}

const onSchedule = (kind: string) => (f: string): RefusedField => ({
  code: "FIN3026",
  message: `'${f}' belongs to a cronjob; a ${kind} does not run on a schedule.`,
  hint: kind === "job" ? "A `job` runs once per deploy; write `cronjob <name> { schedule \"0 2 * * *\" … }` to run it on a schedule." : "Write `cronjob <name> { schedule \"0 2 * * *\" … }` for scheduled runs.",
});

function pick(fields: Readonly<Record<string, FieldSpec>>, drop: readonly string[]): Record<string, FieldSpec> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !drop.includes(name)));
}

const portField = (name: string, doc: string, withPath: boolean) =>
  field({
    doc,
    syntax: withPath ? "<port> /<path>" : "<port>",
    example: withPath ? "8081 /healthz" : "9102",
    numbers: [RANGES.port],
    read: (ctx) =>
      single(ctx, (r) => {
        const port = r.count(RANGES.port);
        if (port === undefined) return undefined;
        if (!withPath) return { port, range: rangeOf(ctx, r.term) };
        const path = r.path();
        return path === undefined ? undefined : { port, path, range: rangeOf(ctx, r.term) };
      }),
  });

const WORKER_OWN = {
  metrics: portField("metrics", "The port the worker serves Prometheus metrics on (`/metrics`): a container port `metrics`, scraped through a PodMonitor (a worker has no Service) and open to the Prometheus pods alone.", false),
  health: portField("health", "An HTTP health endpoint on a port of the worker's own, for its readiness and liveness probes: `health 8081 /healthz`. Without it the worker has no probes (a crashed process is restarted by its restart policy); nothing else can reach that port.", true),
};

const yesNo = (doc: string) =>
  field({ doc, syntax: "yes | no", example: "yes", values: ["yes", "no"], read: (ctx) => single(ctx, (r) => r.oneOf(["yes", "no"] as const, "yes/no value")) });

const JOB_OWN = {
  backoff: field({
    doc: `How many times a failed run is retried before the Job fails (backoffLimit; default ${BATCH_DEFAULTS.backoffLimit}). Each retry is a new pod with \`restart never\`. The application must be idempotent: a retried settlement run must not post twice.`,
    syntax: "<n>",
    example: "3",
    numbers: [JOB_RANGES.backoff],
    read: (ctx) => single(ctx, (r) => r.count(JOB_RANGES.backoff)),
  }),
  timeout: field({
    doc: `The longest a run may take, retries included (activeDeadlineSeconds; default ${BATCH_DEFAULTS.activeDeadlineSeconds / 3600}h): a hung run is killed and the Job fails. For a cronjob this also bounds how long a run can block the next one (concurrency forbid).`,
    syntax: "<duration>",
    example: "2h",
    numbers: [JOB_RANGES.timeout],
    read: (ctx) => single(ctx, (r) => r.duration(JOB_RANGES.timeout)),
  }),
  ttl: field({
    doc: "How long a finished Job (and its pods and logs) is kept before Kubernetes deletes it (ttlSecondsAfterFinished). Unset, a `job` stays until the next deploy replaces it, and a `cronjob`'s runs are pruned by `history`. With GitOps self-heal a deleted `job` is created again and runs again.",
    syntax: "<duration>",
    example: "1d",
    numbers: [JOB_RANGES.ttl],
    read: (ctx) => single(ctx, (r) => r.duration(JOB_RANGES.ttl)),
  }),
  restart: field({
    doc: "What happens when the container fails: `never` (default: the Job starts a new pod, the failed pod and its logs stay for inspection) or `on-failure` (the kubelet restarts the container in the same pod).",
    syntax: "never | on-failure",
    example: "on-failure",
    values: ["never", "on-failure"],
    read: (ctx) => single(ctx, (r) => r.oneOf(["never", "on-failure"] as const, "restart policy")),
  }),
};

const CRON_OWN = {
  schedule: field({
    doc: "When the job runs: five cron fields (minute hour day-of-month month day-of-week), in `timezone`. `\"0 22 * * 1-5\"` is 22:00 on weekdays.",
    syntax: '"<minute> <hour> <day-of-month> <month> <day-of-week>"',
    example: '"0 2 * * *"',
    read: (ctx) =>
      single(ctx, (r) => readCron(r)),
  }),
  timezone: field({
    doc: `The IANA time zone the schedule is read in (CronJob timeZone; default ${BATCH_DEFAULTS.timeZone}). An end-of-day run in "Europe/London" follows the clock change.`,
    syntax: '"<IANA zone>"',
    example: '"Europe/London"',
    read: (ctx) =>
      single(ctx, (r) => readTimeZone(r)),
  }),
  concurrency: field({
    doc: "What happens when a run is due while the previous one still runs (concurrencyPolicy): `forbid` (default) skips the new run — a settlement, reconciliation or statement run must never overlap itself, or it would post twice —, `replace` stops the old run and starts the new one, `allow` runs both.",
    syntax: "forbid | replace | allow",
    example: "forbid",
    values: ["forbid", "replace", "allow"],
    read: (ctx) => single(ctx, (r) => r.oneOf(["forbid", "replace", "allow"] as const, "concurrency policy")),
  }),
  "starting-deadline": field({
    doc: `How late a run may still start when it was missed (controller down, forbid skipped it) — startingDeadlineSeconds, default ${BATCH_DEFAULTS.startingDeadlineSeconds / 60}m. Later, the run is counted as missed. At least 10s: the controller looks every 10 seconds.`,
    syntax: "<duration>",
    example: "10m",
    numbers: [JOB_RANGES.startingDeadline],
    read: (ctx) => single(ctx, (r) => {
      const ms = r.duration(JOB_RANGES.startingDeadline);
      return ms === undefined ? undefined : { ms, range: rangeOf(ctx, r.term) };
    }),
  }),
  history: field({
    doc: `How many finished runs are kept (successfulJobsHistoryLimit / failedJobsHistoryLimit; default ${BATCH_DEFAULTS.successfulJobsHistoryLimit} and ${BATCH_DEFAULTS.failedJobsHistoryLimit}): \`history successful 3, failed 5\`. A kept failed Job is what the failure alert sees.`,
    syntax: "successful <n>, failed <n>",
    example: "successful 3, failed 5",
    values: ["successful", "failed"],
    numbers: [JOB_RANGES.history],
    read: (ctx) => {
      const out: { successful?: number; failed?: number; failedRange?: SourceRange } = {};
      const terms = eachTerm(ctx, (r) => {
        const which = r.oneOf(["successful", "failed"] as const, "history kind");
        const n = which && r.count(JOB_RANGES.history);
        if (!which || n === undefined) return undefined;
        out[which] = n;
        if (which === "failed") out.failedRange = rangeOf(ctx, r.term);
        return n;
      });
      return terms.length ? out : undefined;
    },
  }),
  suspend: yesNo("Suspend the schedule (CronJob suspend): no new runs start; per environment, e.g. `environment dev { settlement.suspend yes }`."),
};

export function workerSpec(service: KindSpec): KindSpec {
  return {
    doc: "A long-running workload without a port (a queue or topic consumer): a Deployment with its ServiceAccount, RBAC, NetworkPolicy (egress to what it calls, no ingress), ConfigMap and secrets — no Service, no DestinationRule. It may scale on Kafka lag or queue depth.",
    required: ["image"],
    fields: { ...pick(service.fields, PORT_FIELDS), ...WORKER_OWN },
    refused: {
      ...refuseAll(PORT_FIELDS, (f) => ({ code: "FIN3024", message: `'${f}' needs a port that callers reach; a worker has none.`, hint: portHint(f) })),
      ...refuseAll(SCHEDULE_FIELDS, onSchedule("worker")),
      ...refuseAll(Object.keys(JOB_OWN).filter((f) => !(PORT_FIELDS as readonly string[]).includes(f)), (f) => ({ code: "FIN3024", message: `'${f}' belongs to a job or cronjob; a worker runs until it is stopped.`, hint: "Write `job <name> { … }` for a run to completion, `cronjob <name> { schedule … }` for a scheduled one." })),
    },
  };
}

function batchRefused(kind: "job" | "cronjob"): Record<string, RefusedField> {
  return {
    ...refuseAll([...PORT_FIELDS, ...Object.keys(WORKER_OWN)], (f) => ({ code: "FIN3025", message: `'${f}' needs a port; a ${kind} has none and nothing calls it.`, hint: "A job runs to completion; it may `calls` services and databases, but nothing calls it. A `service` or `worker` serves or consumes continuously." })),
    ...refuseAll(REPLICA_FIELDS, (f) => ({ code: "FIN3025", message: `'${f}' shapes a Deployment's replicas; a ${kind} runs one pod per run.`, hint: "A run is one pod (retried by `backoff`); use a `worker` with `scale on kafka|queue …` to scale on a backlog." })),
  };
}

export function jobSpec(service: KindSpec): KindSpec {
  return {
    doc: "A run to completion once per deploy (a data migration, a seeding run): a batch/v1 Job with the same pod hardening, config, secrets, calls, egress and RBAC as a service, a retry budget, a deadline and no ingress. Under an Istio sidecar mesh its pod runs native sidecars, so it completes.",
    required: ["image"],
    fields: { ...pick(service.fields, [...PORT_FIELDS, ...REPLICA_FIELDS]), ...JOB_OWN },
    refused: { ...batchRefused("job"), ...refuseAll(SCHEDULE_FIELDS, onSchedule("job")) },
  };
}

export function cronjobSpec(service: KindSpec): KindSpec {
  return {
    doc: "A scheduled run (end-of-day settlement, reconciliation, statements): a batch/v1 CronJob, never overlapping itself by default (concurrency forbid), with a retry budget, a deadline, kept history and, with monitoring, alerts when a run fails or does not happen.",
    required: ["image", "schedule"],
    fields: { ...pick(service.fields, [...PORT_FIELDS, ...REPLICA_FIELDS]), ...JOB_OWN, ...CRON_OWN },
    refused: batchRefused("cronjob"),
  };
}
