import type { SourceRange } from "../../diagnostics/diagnostic.js";
import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { document, type EmittedDocument } from "../output.js";
import { metadata, selector } from "./labels.js";
import { podTemplate } from "./pod.js";
import { withUserAnnotations } from "./pod-details.js";

/**
 * Argo CD's documented resource option for objects whose spec cannot change in place: a Job's
 * pod template is immutable, so a new image is applied by deleting and creating the Job (which
 * runs it again: once per deploy). With plain kubectl that is `kubectl replace --force`.
 */
const REPLACE_ON_CHANGE = { "argocd.argoproj.io/sync-options": "Force=true,Replace=true" };

/** The pod template of a run to completion: no probes (the model has none), never restarted as a Deployment's would be. */
function runTemplate(model: PlatformModel, s: ServiceModel): Record<string, unknown> {
  const t = podTemplate(model, s, { ...selector(s.name), "app.kubernetes.io/part-of": model.platform.name });
  return { ...t, spec: { ...(t["spec"] as Record<string, unknown>), restartPolicy: s.batch!.restartPolicy } };
}

function jobSpec(model: PlatformModel, s: ServiceModel): Record<string, unknown> {
  const b = s.batch!;
  return {
    backoffLimit: b.backoffLimit,
    activeDeadlineSeconds: b.activeDeadlineSeconds,
    ...(b.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: b.ttlSecondsAfterFinished } : {}),
    template: runTemplate(model, s),
  };
}

/** Where the spec's fields land in the pod template under `prefix` (the source map `finc explain` reads). */
function podFields(f: ServiceModel["fields"], prefix: string): Record<string, SourceRange | undefined> {
  const c = `${prefix}/spec/containers/0`;
  return {
    [`${c}/image`]: f["image"],
    [`${c}/resources/requests/cpu`]: f["cpu"],
    [`${c}/resources/limits/cpu`]: f["cpu"],
    [`${c}/resources/requests/memory`]: f["memory"],
    [`${c}/resources/limits/memory`]: f["memory"],
    [`${c}/env`]: f["secret"],
    [`${prefix}/spec/initContainers/0`]: f["migrate"],
    [`${prefix}/spec/restartPolicy`]: f["restart"],
    [`${prefix}/spec/terminationGracePeriodSeconds`]: f["grace"],
    [`${prefix}/spec/securityContext/runAsUser`]: f["user"],
  };
}

/** A `job` → batch/v1 Job; a `cronjob` → batch/v1 CronJob. The ServiceAccount, RBAC, config and secrets are the service's (service.ts). */
export function batchDocument(model: PlatformModel, s: ServiceModel, l: Record<string, string>): EmittedDocument {
  const f = s.fields;
  const b = s.batch!;
  const jobFields = (p: string) => ({
    [`${p}/backoffLimit`]: f["backoff"],
    [`${p}/activeDeadlineSeconds`]: f["timeout"],
    [`${p}/ttlSecondsAfterFinished`]: f["ttl"],
  });
  if (!b.schedule)
    return document(`${s.namespace}/job-${s.name}.yaml`, {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: metadata(s.name, s.namespace, l, withUserAnnotations(s, REPLACE_ON_CHANGE)),
      spec: jobSpec(model, s),
    }, s.origin, { ...jobFields("/spec"), ...podFields(f, "/spec/template") });
  const c = b.schedule;
  return document(`${s.namespace}/cronjob-${s.name}.yaml`, {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: metadata(s.name, s.namespace, l, withUserAnnotations(s, undefined)),
    spec: {
      schedule: c.cron,
      timeZone: c.timeZone,
      concurrencyPolicy: c.concurrencyPolicy,
      startingDeadlineSeconds: c.startingDeadlineSeconds,
      successfulJobsHistoryLimit: c.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: c.failedJobsHistoryLimit,
      suspend: c.suspend,
      // A copy: the chart's templates set values by JSON pointer, and a shared object would be written at both places.
      jobTemplate: { metadata: { labels: { ...l } }, spec: jobSpec(model, s) },
    },
  }, s.origin, {
    "/spec/schedule": f["schedule"],
    "/spec/timeZone": f["timezone"],
    "/spec/concurrencyPolicy": f["concurrency"],
    "/spec/startingDeadlineSeconds": f["starting-deadline"],
    "/spec/successfulJobsHistoryLimit": f["history"],
    "/spec/failedJobsHistoryLimit": f["history"],
    "/spec/suspend": f["suspend"],
    ...jobFields("/spec/jobTemplate/spec"),
    ...podFields(f, "/spec/jobTemplate/spec/template"),
  });
}
