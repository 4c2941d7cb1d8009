import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { MonitoringProvider } from "../semantic/schema/observability-fields.js";

/**
 * The observability part of the model (mission area 8): where Prometheus runs, where
 * alerts go, the logging stack, and each service's objectives. Kept apart from
 * platform-model.ts, which only extends these interfaces.
 */

/** `monitoring prometheus [namespace monitoring] [release kube-prometheus-stack] [interval 30s]` */
export interface MonitoringModel {
  /** `prometheus` in the cluster, or a cloud's managed Prometheus (emit/cloud-monitoring). */
  readonly provider: MonitoringProvider;
  /** `workspace "…"`: the Azure Monitor workspace name / AMP workspace ID to use instead of creating one. */
  readonly workspace?: string;
  /** Where the choice (`managed-prometheus`, …) was written, for check-cloud-monitoring.ts. */
  readonly providerRange?: SourceRange;
  /** The namespace the Prometheus pods (managed: the cloud's collectors) run in (NetworkPolicy peer, mesh principal). */
  readonly namespace: string;
  /** The kube-prometheus-stack release: the `release` label its rule/monitor selectors expect. */
  readonly release: string;
  /** The Prometheus pods' service account (`<release>-prometheus`; managed: the collectors'), their mesh identity. */
  readonly serviceAccount: string;
  readonly intervalSeconds: number;
  /** `runbooks "https://…"`: alerts link to `<base>/<AlertName>`. */
  readonly runbooks?: string;
}

/** A secret-store reference; `storeRange` is where the store was named, for FIN2004. */
export interface StoreCredential {
  readonly store: string;
  readonly path: string;
  readonly key: string;
  readonly storeRange?: SourceRange;
}

export type AlertReceiver =
  | { readonly kind: "slack"; readonly channel: string; readonly webhook: StoreCredential }
  | { readonly kind: "pagerduty"; readonly routingKey: StoreCredential };

/** `alerting slack "#payments-oncall" from vault "…", pagerduty from vault "…"` */
export interface AlertingModel {
  readonly receivers: readonly AlertReceiver[];
}

export type LoggingProvider = "loki" | "elasticsearch";

/** `slo availability 99.95%, latency p99 300ms, window 30d` */
export interface SloModel {
  /** Target share of successful requests, in percent (0 < a < 100). */
  readonly availability?: number;
  /** Target share of requests (the percentile, e.g. 99 or 99.9) faster than `thresholdMs`. */
  readonly latency?: { readonly percentile: number; readonly thresholdMs: number };
  readonly windowDays: number;
}

/** What platform-model.ts's PlatformInfo adds for observability. */
export interface PlatformObservability {
  /** Absent, or `monitoring none`: nothing of area 8 is emitted. */
  readonly monitoring?: MonitoringModel;
  readonly alerting?: AlertingModel;
  readonly logging?: LoggingProvider;
}

/** What platform-model.ts's ServiceModel adds for observability. */
export interface ServiceObservability {
  readonly slo?: SloModel;
}

export const DEFAULT_MONITORING = { namespace: "monitoring", release: "kube-prometheus-stack", intervalSeconds: 30 } as const;

/** `p99` → 99, `p999` and `p99.9` → 99.9, `p9999` → 99.99; undefined for anything else. */
export function percentileOf(word: string): number | undefined {
  const decimal = /^p([1-9][0-9]?\.[0-9]+)$/.exec(word);
  if (decimal) return Number(decimal[1]);
  const m = /^p([1-9][0-9]*)$/.exec(word);
  if (!m) return undefined;
  const digits = m[1]!;
  return digits.length <= 2 ? Number(digits) : Number(`${digits.slice(0, 2)}.${digits.slice(2)}`);
}

/** Istio's default bucket boundaries of istio_request_duration_milliseconds (ms). */
export const ISTIO_LATENCY_BUCKETS_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000] as const;

/** The largest Istio bucket boundary at or below the threshold: a stricter measure than the objective, never a laxer one. */
export function latencyBucketMs(thresholdMs: number): number | undefined {
  return [...ISTIO_LATENCY_BUCKETS_MS].reverse().find((b) => b <= thresholdMs);
}
