import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { objectivesOf, sliOf } from "./queries.js";
import { errorRatioMetric } from "./slo-rules.js";
import { metricsPort } from "./scrape.js";

/**
 * A Grafana dashboard per service, as a ConfigMap the Grafana sidecar loads
 * (`grafana_dashboard: "1"`, folder from the `grafana_folder` annotation): request rate,
 * error ratio, latency percentiles and, for each SLO, its burn rates and remaining budget.
 * The JSON is built in a fixed order and carries no timestamps or ids that change per build.
 */
export function dashboardDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  // Without the mesh the only source of request metrics is the service's own metrics port.
  if (model.platform.mesh !== "istio" && metricsPort(s) === undefined) return [];
  const sli = sliOf(model, s);
  const w = "$__rate_interval";
  const ds = { type: "prometheus", uid: "${datasource}" };
  let id = 0;
  const panel = (title: string, unit: string, x: number, y: number, targets: { expr: string; legend: string }[], extra: Record<string, unknown> = {}) => ({
    id: ++id,
    type: "timeseries",
    title,
    datasource: ds,
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: { defaults: { unit, min: 0, ...extra }, overrides: [] },
    options: { legend: { displayMode: "list", placement: "bottom", showLegend: true }, tooltip: { mode: "multi", sort: "none" } },
    targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), datasource: ds, expr: t.expr, legendFormat: t.legend })),
  });
  const panels: Record<string, unknown>[] = [
    panel("Request rate", "reqps", 0, 0, [{ expr: sli.total(w), legend: "requests/s" }, { expr: sli.errors(w), legend: "errors/s" }]),
    panel("Error ratio", "percentunit", 12, 0, [{ expr: `${sli.errors(w)} / ${sli.total(w)}`, legend: "error ratio" }]),
    panel("Latency", "s", 0, 8, [50, 95, 99].map((p) => ({ expr: sli.quantile(p / 100, w), legend: `p${p}` }))),
  ];
  const objectives = s.slo ? objectivesOf(sli, s.slo) : [];
  for (const o of objectives) {
    const sel = `namespace="${s.namespace}",service="${s.name}",slo="${o.slo}"`;
    const burn = (window: string) => ({ expr: `${errorRatioMetric(window)}{${sel}} / on(namespace, service, slo) slo:error_budget:ratio{${sel}}`, legend: `burn rate ${window}` });
    const x = (panels.length % 2) * 12;
    const y = Math.floor(panels.length / 2) * 8;
    panels.push(panel(`SLO ${o.slo}: burn rate (${o.description})`, "x", x, y, ["1h", "6h", "1d", "3d"].map(burn), { thresholds: { mode: "absolute", steps: [{ color: "green", value: null }, { color: "orange", value: 1 }, { color: "red", value: 6 }] } }));
    panels.push(panel(`SLO ${o.slo}: error budget remaining (${s.slo!.windowDays}d)`, "percentunit", (panels.length % 2) * 12, Math.floor(panels.length / 2) * 8, [{ expr: `slo:error_budget_remaining:ratio{${sel}}`, legend: "budget remaining" }], { min: undefined }));
  }
  const uid = `finc-${s.namespace}-${s.name}`.slice(0, 40);
  const dashboard = {
    uid,
    title: `${s.name} (${s.namespace})`,
    tags: [...new Set(["finc", model.platform.name, s.namespace])],
    timezone: "utc",
    editable: false,
    schemaVersion: 39,
    version: 1,
    refresh: "1m",
    time: { from: "now-6h", to: "now" },
    templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Data source", current: {}, hide: 0 }] },
    annotations: { list: [] },
    panels,
  };
  const name = `${s.name}-dashboard`;
  return [document(`${s.namespace}/configmap-${name}.yaml`, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: metadata(name, s.namespace, labels(model, s.name, "dashboard", { grafana_dashboard: "1" }), { grafana_folder: model.platform.name }),
    data: { [`${s.namespace}-${s.name}.json`]: JSON.stringify(dashboard) },
  }, model.platform.fields["monitoring"] ?? s.origin, { "/data": s.fields["slo"] })];
}
