import type { PlatformModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { TRIVY_NAMESPACE, VULNERABILITY_RULE } from "../scanning/vulnerability-rules.js";
import { isOperatorKind, nameOf } from "./prometheus-kinds.js";

/**
 * The Trivy Operator's metrics (the findings the vulnerability alerts read): with the Prometheus
 * Operator its chart's own ServiceMonitor scrapes them; a managed Prometheus reads only its own
 * kinds, so finc writes one for the operator's pods (the aquasecurity/trivy-operator chart's
 * `app.kubernetes.io/name: trivy-operator`, container port `metrics`) when the alerts exist.
 */
export function trivyOperatorMonitor(model: PlatformModel, docs: readonly EmittedDocument[], apiVersion: string, kind: "PodMonitoring" | "PodMonitor"): EmittedDocument[] {
  const rule = docs.find((d) => isOperatorKind(d, "PrometheusRule") && nameOf(d) === VULNERABILITY_RULE);
  const m = model.platform.monitoring;
  if (!rule || !m) return [];
  const endpoint = { port: "metrics", path: "/metrics", interval: `${m.intervalSeconds}s` };
  return [document(`${TRIVY_NAMESPACE}/${kind.toLowerCase()}-trivy-operator.yaml`, {
    apiVersion,
    kind,
    metadata: metadata("trivy-operator", TRIVY_NAMESPACE, labels(model, "trivy-operator", "vulnerability-alerts")),
    spec: { selector: { matchLabels: { "app.kubernetes.io/name": "trivy-operator" } }, ...(kind === "PodMonitoring" ? { endpoints: [endpoint] } : { podMetricsEndpoints: [endpoint] }) },
  }, rule.origin)];
}
