import type { DrillPlan } from "../../model/drill-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { labels, metadata, selector } from "../kubernetes/labels.js";
import { jobPlacement } from "../smoke-tests/job-pod.js";

/** How long past its time a missed drill may still start (a cluster outage over the hour). */
export const STARTING_DEADLINE_SECONDS = 3600;

/**
 * A drill's CronJob in `ns`: the schedule and the Job every form of drill runs (one attempt,
 * its deadline, its own ServiceAccount, never restarted). `pod` is the rest of the pod spec (its
 * containers, volumes, security context), placed like the database namespace's jobs.
 */
export function drillCronJob(model: PlatformModel, d: DrillPlan, ns: string, podLabels: Record<string, string>, pod: Record<string, unknown>, placedLike: string): Record<string, unknown> {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: metadata(d.name, ns, labels(model, d.name, "drill")),
    spec: {
      schedule: d.schedule,
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: STARTING_DEADLINE_SECONDS,
      // One successful Job kept: the recorded restore time is the latest drill's.
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        // No environment label below the CronJob's own: the template stays one text in the Helm chart and the Kustomize base.
        metadata: { labels: { ...selector(d.name), "app.kubernetes.io/part-of": model.platform.name, "app.kubernetes.io/component": "drill" } },
        spec: {
          // A failed drill is a finding to look at, not something to retry until it passes.
          backoffLimit: 0,
          activeDeadlineSeconds: d.timeoutSeconds,
          template: {
            metadata: { labels: podLabels },
            // No priority class: at the cluster's default (lowest) priority a drill never preempts a running workload.
            spec: { serviceAccountName: d.name, ...pod, restartPolicy: "Never", ...jobPlacement(model, placedLike) },
          },
        },
      },
    },
  };
}
