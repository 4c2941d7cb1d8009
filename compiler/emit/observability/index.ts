import type { PlatformModel } from "../../model/platform-model.js";
import type { Emitter, EmittedDocument } from "../output.js";
import { alertingDocuments } from "./alerting.js";
import { dashboardDocuments } from "./dashboard.js";
import { meshScrapeDocuments, serviceScrapeDocuments } from "./scrape.js";
import { sloRuleDocuments } from "./slo-rules.js";
import { jobRuleDocuments } from "./job-rules.js";
import { budgetRuleDocuments } from "./cost-rules.js";
import { servesTraffic } from "../../model/workload-kind.js";

/**
 * Observability (mission area 8) for the Prometheus Operator: ServiceMonitors for `metrics`
 * ports and the policies that let Prometheus scrape them, PrometheusRules from `slo`,
 * AlertmanagerConfigs from `alerting`, and a Grafana dashboard per service. Emits nothing
 * without `monitoring prometheus`. Logs (`logging loki|elasticsearch`) need nothing per
 * workload: containers log to stdout and the stack's node agents ship them.
 */
export const observabilityEmitter: Emitter = {
  id: "observability",
  emit(model: PlatformModel) {
    const m = model.platform.monitoring;
    const documents: EmittedDocument[] = [];
    if (!m) return { documents, diagnostics: [] };
    for (const ns of model.namespaces) documents.push(...meshScrapeDocuments(model, m, ns), ...budgetRuleDocuments(model, m, ns));
    // Dashboards show request traffic: only services serve any; a cron job's runs are alerted on (job-rules.ts).
    for (const s of model.services) documents.push(...serviceScrapeDocuments(model, m, s), ...sloRuleDocuments(model, m, s), ...(servesTraffic(s) ? dashboardDocuments(model, s) : []), ...jobRuleDocuments(model, m, s));
    const sloNamespaces = [...new Set(model.services.filter((s) => s.slo || s.batch?.schedule).map((s) => s.namespace))].sort();
    for (const ns of sloNamespaces) documents.push(...alertingDocuments(model, m, ns));
    return { documents, diagnostics: [] };
  },
};
