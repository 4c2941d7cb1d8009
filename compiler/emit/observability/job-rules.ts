import type { MonitoringModel } from "../../model/observability-model.js";
import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { maxCronGapSeconds } from "../../model/cron-gap.js";
import { metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { monitoringLabels } from "./scrape.js";

const pascal = (name: string): string => name.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");

/** Clock changes, the scrape interval and kube-state-metrics' own lag. */
const SLACK_SECONDS = 3600;

/**
 * A cron job that fails or does not run must be seen (a settlement that silently did not happen
 * is found by the bank's counterparties): with `monitoring prometheus`, a PrometheusRule on
 * kube-state-metrics' series (the kube-prometheus-stack ships it):
 * - `<Name>Failed` (critical): one of its Jobs failed after all its retries (`kube_job_failed`,
 *   joined to the CronJob through `kube_job_owner`; the failed Job stays for `history failed`);
 * - `<Name>NotSucceeded` (critical): no successful run for longer than the longest gap of the
 *   schedule plus the starting deadline, the run deadline and an hour
 *   (`kube_cronjob_status_last_successful_time`);
 * - `<Name>Missed` (warning): a due run did not start within the starting deadline
 *   (`kube_cronjob_next_schedule_time` in the past), unless the CronJob is suspended.
 */
export function jobRuleDocuments(model: PlatformModel, m: MonitoringModel, s: ServiceModel): EmittedDocument[] {
  const c = s.batch?.schedule;
  if (!c) return [];
  const b = s.batch!;
  const sel = `namespace="${s.namespace}",cronjob="${s.name}"`;
  const notRunAfter = maxCronGapSeconds(c.cron) + c.startingDeadlineSeconds + b.activeDeadlineSeconds + SLACK_SECONDS;
  const hours = (sec: number): string => `${Math.round((sec / 3600) * 10) / 10}h`;
  const runbook = (alert: string, text: string) => (m.runbooks ? { runbook_url: `${m.runbooks.replace(/\/+$/, "")}/${alert}` } : { runbook: text });
  const name = pascal(s.name);
  const labels = { namespace: s.namespace, cronjob: s.name };
  const rules = [
    {
      alert: `${name}Failed`,
      expr: `max by (namespace, owner_name) (kube_job_failed{namespace="${s.namespace}",condition="true"} * on (namespace, job_name) group_left (owner_name) kube_job_owner{namespace="${s.namespace}",owner_kind="CronJob",owner_name="${s.name}"}) > 0`,
      labels: { severity: "critical", ...labels },
      annotations: {
        summary: `A run of ${s.name} (${s.namespace}) failed`,
        description: `A Job of the CronJob ${s.name} failed after ${b.backoffLimit} retries or its ${hours(b.activeDeadlineSeconds)} deadline; its pods and logs are kept (failedJobsHistoryLimit ${c.failedJobsHistoryLimit}).`,
        ...runbook(`${name}Failed`, `kubectl -n ${s.namespace} get jobs -l app.kubernetes.io/name=${s.name}; read the failed pod's logs, fix the cause, then run it again: kubectl -n ${s.namespace} create job --from=cronjob/${s.name} ${s.name}-manual.`),
      },
    },
    {
      alert: `${name}NotSucceeded`,
      expr: `time() - kube_cronjob_status_last_successful_time{${sel}} > ${notRunAfter}`,
      labels: { severity: "critical", ...labels },
      annotations: {
        summary: `${s.name} (${s.namespace}) has not completed a run on schedule`,
        description: `The last successful run of ${s.name} ("${c.cron}" ${c.timeZone}) is older than ${hours(notRunAfter)}: the longest gap of its schedule plus its starting deadline, run deadline and an hour.`,
        ...runbook(`${name}NotSucceeded`, `kubectl -n ${s.namespace} describe cronjob ${s.name}: look for skipped (concurrency ${c.concurrencyPolicy}) or missed runs and failed Jobs.`),
      },
    },
    {
      alert: `${name}Missed`,
      expr: `(time() - kube_cronjob_next_schedule_time{${sel}} > ${c.startingDeadlineSeconds + 300}) unless on (namespace, cronjob) (kube_cronjob_spec_suspend{${sel}} == 1)`,
      labels: { severity: "warning", ...labels },
      annotations: {
        summary: `A due run of ${s.name} (${s.namespace}) did not start`,
        description: `${s.name} was due more than its starting deadline (${c.startingDeadlineSeconds}s) ago and has not started: the previous run still runs (concurrency ${c.concurrencyPolicy}), or the CronJob controller is behind.`,
        ...runbook(`${name}Missed`, `kubectl -n ${s.namespace} get jobs -l app.kubernetes.io/name=${s.name}: a run still active blocks the next one.`),
      },
    },
  ];
  const docName = `${s.name}-runs`;
  return [document(`${s.namespace}/prometheusrule-${docName}.yaml`, {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: metadata(docName, s.namespace, monitoringLabels(model, m, s.name, "job-alerts")),
    spec: { groups: [{ name: `${s.namespace}.${s.name}.runs`, rules }] },
  }, s.fields["schedule"] ?? s.origin, { "/spec/groups/0/rules/1/expr": s.fields["schedule"], "/metadata/labels/release": model.platform.fields["monitoring"] })];
}
