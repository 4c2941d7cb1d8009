import type { MonitoringModel } from "../../model/observability-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { labels } from "../kubernetes/labels.js";
import { externalSecret } from "../kubernetes/secrets.js";
import { document, type EmittedDocument } from "../output.js";
import { toYaml, type JsonValue } from "../shared/yaml.js";
import { alertmanagerConfig, alertmanagerSecretData, esoTemplate } from "./alertmanager-config.js";
import { trivyOperatorMonitor } from "./trivy-monitor.js";
import { SERVICE_RELABELING } from "../observability/worker-scrape.js";
import { isAlertingSecret, isOperatorKind, metadataOf, nameOf, namespaceOf, ruleGroupsOf, specOf, withObject, type Obj } from "./prometheus-kinds.js";

/** GMP's CRDs (GoogleCloudPlatform/prometheus-engine, `monitoring.googleapis.com/v1`). */
export const GMP_API = "monitoring.googleapis.com/v1";
/** Where GMP's managed Alertmanager reads its configuration: the `alertmanager` Secret, key `alertmanager.yaml`. */
export const GMP_PUBLIC = "gmp-public";

/**
 * `monitoring managed-prometheus` (Google Cloud Managed Service for Prometheus): the Prometheus
 * Operator objects become GMP's own. A PodMonitor becomes a PodMonitoring (GMP's collectors read
 * only those; a service's `metrics` port is scraped as a worker's is, from the pods, because GMP
 * has no ServiceMonitor); a PrometheusRule becomes a namespaced Rules with the same groups and
 * expressions (GMP's rule-evaluator scopes each to its namespace's metrics); the operator's
 * AlertmanagerConfigs give way to GMP's managed Alertmanager, configured by the `alertmanager`
 * Secret in gmp-public, which an ExternalSecret renders from the receivers' credentials in the
 * secret store (no webhook URL or routing key is ever written to the output).
 */
export function gmpDocuments(model: PlatformModel, m: MonitoringModel, docs: readonly EmittedDocument[]): EmittedDocument[] {
  const out: EmittedDocument[] = [];
  for (const d of docs) {
    if (isOperatorKind(d, "PodMonitor")) out.push(podMonitoring(d));
    else if (isOperatorKind(d, "PrometheusRule")) out.push(rules(m, d));
    else if (isOperatorKind(d, "AlertmanagerConfig") || isAlertingSecret(d)) continue;
    else out.push(d);
  }
  // The receivers are routed once, for the cluster (GMP runs one Alertmanager), when any rule alerts.
  if (docs.some((d) => isOperatorKind(d, "AlertmanagerConfig"))) {
    const alertmanager = gmpAlertmanager(model);
    out.push(...alertmanager);
    // The ClusterSecretStore serves the platform's namespaces only: gmp-public too, for this one ExternalSecret.
    const store = alertmanager.map((d) => ((specOf(d)["secretStoreRef"] ?? {}) as Obj)["name"])[0];
    for (const [i, d] of out.entries())
      if (d.object["kind"] === "ClusterSecretStore" && nameOf(d) === store) {
        const spec = specOf(d);
        const conditions = ((spec["conditions"] ?? []) as Obj[]).map((c) => ({ ...c, namespaces: [...new Set([...((c["namespaces"] ?? []) as string[]), GMP_PUBLIC])].sort() }));
        out[i] = { ...d, object: { ...d.object, spec: { ...spec, conditions } } };
      }
  }
  out.push(...trivyOperatorMonitor(model, docs, GMP_API, "PodMonitoring"));
  return out;
}

function podMonitoring(d: EmittedDocument): EmittedDocument {
  const spec = specOf(d);
  const endpoints = ((spec["podMetricsEndpoints"] ?? []) as Obj[]).map((e) => ({
    port: e["port"],
    ...(e["path"] ? { path: e["path"] } : {}),
    ...(e["interval"] ? { interval: e["interval"] } : {}),
    ...(e["scrapeTimeout"] ? { timeout: e["scrapeTimeout"] } : {}),
    ...(e["metricRelabelings"] ? { metricRelabeling: e["metricRelabelings"] } : {}),
  }));
  // GMP sets target labels from pod labels (`targetLabels.fromPod`), not by relabeling: the rollout hash, and a service's `service` label.
  const service = ((spec["podMetricsEndpoints"] ?? []) as Obj[]).some((e) => ((e["relabelings"] ?? []) as Obj[]).some((r) => r["targetLabel"] === SERVICE_RELABELING.targetLabel));
  const fromPod = [...((spec["podTargetLabels"] ?? []) as string[]).map((from) => ({ from })), ...(service ? [{ from: "app.kubernetes.io/name", to: "service" }] : [])];
  return withObject(d, `${namespaceOf(d)}/podmonitoring-${nameOf(d)}.yaml`, {
    apiVersion: GMP_API,
    kind: "PodMonitoring",
    metadata: metadataOf(d),
    spec: { selector: spec["selector"], endpoints, ...(fromPod.length ? { targetLabels: { fromPod } } : {}) },
  });
}

/**
 * Rules whose expressions join series without the rule's namespace label (OpenCost's node prices
 * for the budgets; Trivy's findings, whose `namespace` names the scanned workload's, not
 * trivy-system) cannot be namespaced Rules: GMP confines those to series of their own namespace.
 * They are ClusterRules, named after the namespace they were written for.
 */
const CLUSTER_SCOPED = new Set(["cost-alerts", "vulnerability-alerts"]);

function rules(m: MonitoringModel, d: EmittedDocument): EmittedDocument {
  // GMP requires every group's evaluation interval; the operator's default is the scrape interval.
  const groups = ruleGroupsOf(d).map((g) => ({ name: g.name, interval: g.interval ?? `${m.intervalSeconds}s`, rules: g.rules }));
  const meta = metadataOf(d);
  const component = ((meta["labels"] ?? {}) as Record<string, string>)["app.kubernetes.io/component"] ?? "";
  if (!CLUSTER_SCOPED.has(component))
    return withObject(d, `${namespaceOf(d)}/rules-${nameOf(d)}.yaml`, { apiVersion: GMP_API, kind: "Rules", metadata: meta, spec: { groups } });
  const name = nameOf(d).startsWith(`${namespaceOf(d)}-`) ? nameOf(d) : `${namespaceOf(d)}-${nameOf(d)}`;
  const { namespace: _namespace, ...clusterMeta } = meta;
  return withObject(d, `_cluster/clusterrules-${name}.yaml`, { apiVersion: GMP_API, kind: "ClusterRules", metadata: { ...clusterMeta, name }, spec: { groups } });
}

/** The managed Alertmanager's configuration, rendered by ESO into gmp-public/alertmanager. */
export function gmpAlertmanager(model: PlatformModel): EmittedDocument[] {
  const a = model.platform.alerting;
  if (!a?.receivers.length) return [];
  const origin = model.platform.fields["alerting"] ?? model.platform.origin;
  const data = alertmanagerSecretData(a);
  return [document(`${GMP_PUBLIC}/externalsecret-alertmanager.yaml`,
    externalSecret(model, GMP_PUBLIC, "alertmanager", "alerting", data, {
      engineVersion: "v2",
      metadata: { labels: labels(model, "alertmanager", "alerting") },
      data: { "alertmanager.yaml": esoTemplate(toYaml(alertmanagerConfig(a, "external-secret") as JsonValue)) },
    }), origin, { "/spec/data": origin })];
}
