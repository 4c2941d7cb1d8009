import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import type { AnalysisCondition } from "../../model/scaling-model.js";
import { DEFAULT_PROMETHEUS } from "../autoscaling/keda.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";

export const analysisTemplateName = (s: ServiceModel) => `${s.name}-analysis`;

/** No traffic yet (an empty or NaN result) is not a failure; any measured value must meet the condition. */
const below = (limit: number) => `len(result) == 0 || isNaN(result[0]) || result[0] < ${limit}`;

/**
 * One Prometheus metric per `while` condition. With `mesh istio` the sidecars' (or
 * waypoints') standard metrics, reported by the destination; without a mesh the
 * Prometheus client conventions `http_requests_total{code}` and
 * `http_request_duration_seconds_bucket`, labelled by the ServiceMonitor's `namespace` and `service`.
 */
function metric(model: PlatformModel, s: ServiceModel, c: AnalysisCondition): Record<string, unknown> {
  const istio = model.platform.mesh === "istio";
  const sel = (istio
    ? `reporter="destination",destination_service_namespace="${s.namespace}",destination_service_name="{{args.service}}"`
    : `namespace="${s.namespace}",service="{{args.service}}"`) + newPodsOnly(model, s);
  const total = istio ? "istio_requests_total" : "http_requests_total";
  const code = istio ? "response_code" : "code";
  const query = c.metric === "error-rate"
    ? `sum(rate(${total}{${sel},${code}=~"5.."}[2m])) / sum(rate(${total}{${sel}}[2m]))`
    : istio
      ? `histogram_quantile(${c.quantile}, sum(rate(istio_request_duration_milliseconds_bucket{${sel}}[2m])) by (le))`
      : `histogram_quantile(${c.quantile}, sum(rate(http_request_duration_seconds_bucket{${sel}}[2m])) by (le))`;
  const limit = c.metric === "error-rate" ? c.below / 100 : istio ? c.below : c.below / 1000;
  const name = c.metric === "error-rate" ? "error-rate" : `latency-p${String(c.quantile).slice(2).padEnd(2, "0")}`;
  return {
    name,
    interval: "1m",
    count: 5,
    failureLimit: 1,
    successCondition: below(limit),
    provider: { prometheus: { address: DEFAULT_PROMETHEUS, query } },
  };
}

/** The analysis argument the Rollout fills with the new ReplicaSet's `rollouts-pod-template-hash` (`podTemplateHashValue: Latest`). */
export const CANARY_HASH_ARG = "canary-hash";
/** The pod label whose value Argo Rollouts' canaryMetadata/stableMetadata set in ambient mode (Istio's canonical revision). */
export const CANONICAL_REVISION = "service.istio.io/canonical-revision";

/** Ambient mode: the waypoint reports the request metrics, so no pod label of the destination reaches the series. */
export function ambientCanary(model: PlatformModel, s: ServiceModel): boolean {
  return model.platform.mesh === "istio" && model.platform.meshMode === "ambient" && s.scaling?.rollout?.kind === "canary";
}

/**
 * The series of the new pods only. A canary's Service (and its mesh host) fronts stable and
 * canary pods alike, so a service filter alone measures both. Sidecars and the app's own
 * metrics are scraped per pod, and the PodMonitor/ServiceMonitor copy the pod's
 * `rollouts-pod-template-hash` label (podTargetLabels, see observability/scrape.ts), which the
 * Rollout passes for the new ReplicaSet; in ambient mode the waypoint labels each request with
 * the destination's canonical revision, which the Rollout's canaryMetadata sets to `canary`.
 */
function newPodsOnly(model: PlatformModel, s: ServiceModel): string {
  if (ambientCanary(model, s)) return ',destination_canonical_revision="canary"';
  if (model.platform.mesh === "istio" && model.platform.meshMode === "ambient") return ""; // blue-green: the preview Service has only the new pods
  return `,rollouts_pod_template_hash="{{args.${CANARY_HASH_ARG}}}"`;
}

/**
 * The AnalysisTemplate behind `while …`: Argo Rollouts runs it at every canary step (or
 * before promoting a blue-green preview); a failed analysis aborts the rollout, and
 * traffic and replicas go back to the stable version — the automated rollback.
 */
export function analysisTemplateDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  const conditions = s.scaling?.rollout?.conditions ?? [];
  if (!conditions.length) return [];
  return [document(`${s.namespace}/analysistemplate-${analysisTemplateName(s)}.yaml`, {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AnalysisTemplate",
    metadata: metadata(analysisTemplateName(s), s.namespace, labels(model, s.name, "rollout")),
    spec: {
      args: [{ name: "service" }, { name: CANARY_HASH_ARG }],
      metrics: conditions.map((c) => metric(model, s, c)),
    },
  }, s.fields["rollout"] ?? s.origin, { "/spec/metrics": s.fields["rollout"] })];
}
