import type { DrillPlan } from "../../model/drill-model.js";
import type { MonitoringModel } from "../../model/observability-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { humanDuration } from "../../model/recovery.js";
import { metadata } from "../kubernetes/labels.js";
import { monitoringLabels } from "../observability/scrape.js";
import { document, type EmittedDocument } from "../output.js";

const pascal = (name: string): string => name.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");

/** The recorded restore time: the seconds from a drill Job's start to its completion. */
export const RESTORE_SECONDS = "finc:drill_restore_seconds";

/** Clock changes, the scrape interval and kube-state-metrics' own lag. */
const SLACK_SECONDS = 3600;

/**
 * A drill that fails or does not run must be seen: on kube-state-metrics' series (the
 * kube-prometheus-stack ships it) a PrometheusRule with
 * - `finc:drill_restore_seconds{namespace, cronjob}`: the last successful drill's run time
 *   (`kube_job_status_completion_time - kube_job_status_start_time`; only one successful Job
 *   is kept, so it is the latest) — the measured restore time, next to `recovery … rto`;
 * - `<Db>DrillFailed` (critical): a drill Job failed (`kube_job_failed`, joined to the CronJob);
 * - `<Db>DrillNotSucceeded` (critical): no successful drill for the longest gap of the schedule
 *   plus the starting deadline, the run deadline and an hour — measured from the CronJob's
 *   creation while it never succeeded;
 * - `<Db>DrillSlow` (warning, with `recovery … rto`): the measured restore took longer than the RTO.
 */
export function drillRuleDocument(model: PlatformModel, m: MonitoringModel, d: DrillPlan, startingDeadlineSeconds: number): EmittedDocument {
  const ns = d.namespace;
  const sel = `namespace="${ns}",cronjob="${d.name}"`;
  const owned = (series: string) => `${series} * on (namespace, job_name) group_left (owner_name) kube_job_owner{namespace="${ns}",owner_kind="CronJob",owner_name="${d.name}"}`;
  const notRunAfter = d.periodSeconds + startingDeadlineSeconds + d.timeoutSeconds + SLACK_SECONDS;
  const runbook = (alert: string, text: string) => (m.runbooks ? { runbook_url: `${m.runbooks.replace(/\/+$/, "")}/${alert}` } : { runbook: text });
  const name = pascal(d.database.name);
  const labels = { namespace: ns, cronjob: d.name, database: d.database.name };
  const rules: Record<string, unknown>[] = [
    {
      record: RESTORE_SECONDS,
      expr: `label_replace(max by (namespace, owner_name) (${owned(`(kube_job_status_completion_time{namespace="${ns}"} - kube_job_status_start_time{namespace="${ns}"})`)}), "cronjob", "$1", "owner_name", "(.*)")`,
      labels: { database: d.database.name },
    },
    {
      alert: `${name}DrillFailed`,
      expr: `max by (namespace, owner_name) (${owned(`kube_job_failed{namespace="${ns}",condition="true"}`)}) > 0`,
      labels: { severity: "critical", ...labels },
      annotations: {
        summary: `The restore drill of ${d.database.name} (${ns}) failed`,
        description: `The latest backup of ${d.database.name} did not restore, did not answer its verification query, or took longer than the drill's ${humanDuration(d.timeoutSeconds * 1000)} deadline: recovery from backup is not proven.`,
        ...runbook(`${name}DrillFailed`, `kubectl -n ${ns} logs job/<the failed ${d.name} Job>; fix the backup (kubectl -n ${ns} get backups), then run it again: kubectl -n ${ns} create job --from=cronjob/${d.name} ${d.name}-manual.`),
      },
    },
    {
      alert: `${name}DrillNotSucceeded`,
      expr: `time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{${sel}} or kube_cronjob_created{${sel}}) > ${notRunAfter}`,
      labels: { severity: "critical", ...labels },
      annotations: {
        summary: `No successful restore drill of ${d.database.name} (${ns}) within its period`,
        description: `The last successful drill of ${d.database.name} ("${d.schedule}" UTC) is older than ${humanDuration(notRunAfter * 1000)}: the longest gap of its schedule plus its starting deadline, run deadline and an hour.`,
        ...runbook(`${name}DrillNotSucceeded`, `kubectl -n ${ns} describe cronjob ${d.name}: look for failed, missed or suspended runs.`),
      },
    },
  ];
  if (d.rtoMs !== undefined)
    rules.push({
      alert: `${name}DrillSlow`,
      expr: `${RESTORE_SECONDS}{${sel}} > ${Math.round(d.rtoMs / 1000)}`,
      labels: { severity: "warning", ...labels },
      annotations: {
        summary: `Restoring ${d.database.name} (${ns}) takes longer than its RTO`,
        description: `The last drill restored and verified ${d.database.name} in {{ $value | humanizeDuration }}, more than its recovery objective rto ${humanDuration(d.rtoMs)}: a real restore would miss it.`,
        ...runbook(`${name}DrillSlow`, "Back up more often (less WAL to replay), restore from a larger instance, or add `replicate to <region>` for a standby to promote instead of a restore."),
      },
    });
  return document(`${ns}/prometheusrule-${d.name}.yaml`, {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: metadata(d.name, ns, monitoringLabels(model, m, d.name, "drill-alerts")),
    spec: { groups: [{ name: `${ns}.${d.name}`, rules }] },
  }, d.origin, { "/metadata/labels/release": model.platform.fields["monitoring"], ...(d.rtoMs !== undefined ? { "/spec/groups/0/rules/3/expr": d.database.recovery?.origin } : {}) });
}
