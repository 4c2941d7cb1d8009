import type { MonitoringModel } from "../../model/observability-model.js";
import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { num, objectivesOf, sliOf, type Objective } from "./queries.js";
import { monitoringLabels } from "./scrape.js";

/**
 * Multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs", §6): an
 * alert fires when the error ratio exceeds `factor × budget` over a long window AND over a
 * short one (a twelfth of it, so the alert resets soon after the burn stops). The factors
 * are the workbook's for a 30-day budget: 14.4× for 1h spends 2% of it, 6× for 6h 5%, 3×
 * for 1d and 1× for 3d 10% each. The first two page; the last two open a ticket.
 */
export const BURN_RATES = [
  { severity: "critical", long: "1h", short: "5m", factor: 14.4 },
  { severity: "critical", long: "6h", short: "30m", factor: 6 },
  { severity: "warning", long: "1d", short: "2h", factor: 3 },
  { severity: "warning", long: "3d", short: "6h", factor: 1 },
] as const;

/** Every window a recording rule is needed for, shortest first. */
export const SLI_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;

export const errorRatioMetric = (window: string): string => `slo:sli_error:ratio_rate${window}`;

function pascal(name: string): string {
  return name.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}

/** `slo …` on a service: a PrometheusRule with its SLI recording rules, budget rules and burn-rate alerts. */
export function sloRuleDocuments(model: PlatformModel, m: MonitoringModel, s: ServiceModel): EmittedDocument[] {
  if (!s.slo) return [];
  const sli = sliOf(model, s);
  const objectives = objectivesOf(sli, s.slo);
  const period = `${s.slo.windowDays}d`;
  const sliRules: Record<string, unknown>[] = [];
  const budgetRules: Record<string, unknown>[] = [];
  const alertRules: Record<string, unknown>[] = [];
  for (const o of objectives) {
    const l = { namespace: s.namespace, service: s.name, slo: o.slo };
    const sel = `namespace="${s.namespace}",service="${s.name}",slo="${o.slo}"`;
    for (const w of SLI_WINDOWS) sliRules.push({ record: errorRatioMetric(w), expr: o.errorRatio(w), labels: l });
    budgetRules.push(
      { record: "slo:objective:ratio", expr: `vector(${num(o.target)})`, labels: l },
      { record: "slo:error_budget:ratio", expr: `vector(${num(o.budget)})`, labels: l },
      { record: errorRatioMetric(period), expr: `avg_over_time(${errorRatioMetric("5m")}{${sel}}[${period}])`, labels: l },
      { record: "slo:error_budget_remaining:ratio", expr: `1 - ${errorRatioMetric(period)}{${sel}} / ${num(o.budget)}`, labels: l },
    );
    for (const severity of ["critical", "warning"] as const) alertRules.push(alertRule(model, m, s, o, sel, severity));
  }
  const name = `${s.name}-slo`;
  return [document(`${s.namespace}/prometheusrule-${name}.yaml`, {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: metadata(name, s.namespace, monitoringLabels(model, m, s.name, "slo")),
    spec: {
      groups: [
        { name: `${s.namespace}.${s.name}.slo-sli`, rules: sliRules },
        { name: `${s.namespace}.${s.name}.slo-budget`, interval: "5m", rules: budgetRules },
        { name: `${s.namespace}.${s.name}.slo-alerts`, rules: alertRules },
      ],
    },
  }, s.fields["slo"] ?? s.origin, { "/spec/groups": s.fields["slo"], "/metadata/labels/release": model.platform.fields["monitoring"] })];
}

function alertRule(model: PlatformModel, m: MonitoringModel, s: ServiceModel, o: Objective, sel: string, severity: "critical" | "warning"): Record<string, unknown> {
  const pairs = BURN_RATES.filter((b) => b.severity === severity);
  const budget = num(o.budget);
  const expr = pairs
    .map((b) => `(${errorRatioMetric(b.long)}{${sel}} > (${b.factor} * ${budget}) and ${errorRatioMetric(b.short)}{${sel}} > (${b.factor} * ${budget}))`)
    .join(" or ");
  const speeds = pairs.map((b) => `${b.factor}× over ${b.long} and ${b.short}`).join(", or more than ");
  const page = severity === "critical";
  const alert = `${pascal(s.name)}${pascal(o.slo)}BudgetBurn`;
  return {
    alert,
    expr,
    labels: { severity, slo: o.slo },
    annotations: {
      summary: `${s.name} (${s.namespace}) is burning its ${o.slo} error budget ${page ? "fast: page" : "steadily: ticket"}`,
      description:
        `Objective: ${o.description} over ${s.slo!.windowDays}d (error budget ${num(o.budget * 100)}%). ` +
        `The error ratio ({{ $value | humanizePercentage }}) burns the budget faster than the rate that would spend it exactly over the window: more than ${speeds}` +
        (page ? `; at ${pairs[0]!.factor}× the whole budget is gone in ${num((s.slo!.windowDays * 24) / pairs[0]!.factor)}h.` : "."),
      ...(m.runbooks
        ? { runbook_url: `${m.runbooks.replace(/\/+$/, "")}/${alert}` }
        : { runbook: `Check the ${s.name} dashboard (${model.platform.name} folder) for the failing route and the last rollout; roll back or shed load, then find the cause.` }),
    },
  };
}
