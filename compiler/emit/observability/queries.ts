import type { SloModel } from "../../model/observability-model.js";
import { latencyBucketMs } from "../../model/observability-model.js";
import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";

/**
 * The service level indicators of one service in PromQL, shared by the SLO rules and the
 * dashboard. With the mesh: Istio's standard metrics as the server side reports them
 * (`reporter="destination"`, or `"waypoint"` in ambient mode); without it: the service's own
 * `http_requests_total{code}` and `http_request_duration_seconds` (Prometheus client conventions),
 * scraped from its `metrics` port by the ServiceMonitor (labels `namespace`, `service`).
 */
export interface Sli {
  readonly source: "istio" | "app";
  /** Requests per second over the window. */
  total(window: string): string;
  /** Failed requests per second: 5xx, or for gRPC services the server-side gRPC failure codes. */
  errors(window: string): string;
  /** Requests per second that finished within `le` (the histogram bucket, in the metric's unit). */
  within(window: string, le: string): string;
  /** The q-quantile of request latency in seconds. */
  quantile(q: number, window: string): string;
  /** The latency bucket label value for a threshold, in the histogram's unit. */
  bucket(thresholdMs: number): string;
}

/** gRPC codes that mean the server failed (UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS); client errors do not burn the budget. */
const GRPC_SERVER_ERRORS = "2|4|12|13|14|15";

function grpcOnly(s: ServiceModel): boolean {
  const serving = s.ports.filter((p) => p.name !== "metrics");
  return serving.length > 0 && serving.every((p) => p.protocol === "grpc");
}

export function sliOf(model: PlatformModel, s: ServiceModel): Sli {
  if (model.platform.mesh === "istio") {
    const reporter = model.platform.meshMode === "ambient" ? "waypoint" : "destination";
    const sel = `reporter="${reporter}",destination_service_namespace="${s.namespace}",destination_service_name="${s.name}"`;
    const failed = grpcOnly(s) ? `grpc_response_status=~"${GRPC_SERVER_ERRORS}"` : `response_code=~"5.."`;
    return {
      source: "istio",
      total: (w) => `sum(rate(istio_requests_total{${sel}}[${w}]))`,
      errors: (w) => `sum(rate(istio_requests_total{${sel},${failed}}[${w}]))`,
      within: (w, le) => `sum(rate(istio_request_duration_milliseconds_bucket{${sel},le="${le}"}[${w}]))`,
      quantile: (q, w) => `histogram_quantile(${q}, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${sel}}[${w}]))) / 1000`,
      bucket: (ms) => num(latencyBucketMs(ms) ?? ms),
    };
  }
  const sel = `namespace="${s.namespace}",service="${s.name}"`;
  return {
    source: "app",
    total: (w) => `sum(rate(http_requests_total{${sel}}[${w}]))`,
    errors: (w) => `sum(rate(http_requests_total{${sel},code=~"5.."}[${w}]))`,
    within: (w, le) => `sum(rate(http_request_duration_seconds_bucket{${sel},le="${le}"}[${w}]))`,
    quantile: (q, w) => `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[${w}])))`,
    bucket: (ms) => num(ms / 1000),
  };
}

/** The objectives of an SLO as ratios: what share may fail, for each indicator. */
export interface Objective {
  readonly slo: "availability" | "latency";
  /** The target as a ratio (0.9995). */
  readonly target: number;
  /** The error budget as a ratio (0.0005). */
  readonly budget: number;
  /** Failed (or too slow) requests / all requests, over the window. */
  errorRatio(window: string): string;
  readonly description: string;
}

export function objectivesOf(sli: Sli, slo: SloModel): Objective[] {
  const out: Objective[] = [];
  if (slo.availability !== undefined) {
    const target = ratio(slo.availability);
    out.push({ slo: "availability", target, budget: ratio(100 - slo.availability), errorRatio: (w) => `${sli.errors(w)} / ${sli.total(w)}`, description: `${num(slo.availability)}% of requests succeed` });
  }
  if (slo.latency) {
    const le = sli.bucket(slo.latency.thresholdMs);
    const p = slo.latency.percentile;
    out.push({
      slo: "latency",
      target: ratio(p),
      budget: ratio(100 - p),
      errorRatio: (w) => `1 - ${sli.within(w, le)} / ${sli.within(w, "+Inf")}`,
      description: `${num(p)}% of requests finish within ${sli.source === "istio" ? `${le}ms` : `${le}s`}`,
    });
  }
  return out;
}

/** A number without floating-point noise: 100 - 99.95 → 0.05, not 0.04999999999999716. */
export function num(x: number): string {
  return String(Number(x.toPrecision(10)));
}

function ratio(percent: number): number {
  return Number((percent / 100).toPrecision(10));
}
