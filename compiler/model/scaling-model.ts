import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { SleepModel } from "./sleep.js";

/**
 * The scaling and delivery part of the model (mission areas 7 and 10): event-driven
 * scaling (KEDA), right-sizing (VPA), progressive delivery (Argo Rollouts) and spot
 * capacity. Kept apart from platform-model.ts, which only refers to it.
 */

/** Where a scaler's credentials come from: a path in a declared secret store, never a value. */
export interface ScalerAuth {
  readonly store: string;
  readonly path: string;
  /** Kafka SASL mechanism, as KEDA spells it. */
  readonly sasl: "plaintext" | "scram_sha256" | "scram_sha512";
}

/** One `scale on …` line: a KEDA trigger. */
export type ScaleTrigger =
  /** `scale on kafka "<topic>" lag 500 [group "<g>"] [brokers "<h:p>"] [auth <store> "<path>" [sasl …]]` */
  | { readonly kind: "kafka"; readonly topic: string; readonly lag: number; readonly group?: string; readonly brokers?: string; readonly auth?: ScalerAuth }
  /** `scale on queue sqs "<url>" depth 100`: the KEDA operator reads the queue with the workload's IAM role. */
  | { readonly kind: "sqs"; readonly url: string; readonly region: string; readonly depth: number }
  /** `scale on prometheus "<query>" above 50 [server "<url>"]` */
  | { readonly kind: "prometheus"; readonly query: string; readonly above: number; readonly server?: string }
  /** `scale on cron "<start>" to "<end>" replicas 10 [timezone "<IANA zone>"]`: quiet hours and predictable peaks. */
  | { readonly kind: "cron"; readonly start: string; readonly end: string; readonly replicas: number; readonly timezone: string };

/** `rollout canary 10%, 50% [pause 5m] while error-rate < 1%, latency p99 < 300ms` */
export interface AnalysisCondition {
  readonly metric: "error-rate" | "latency";
  /** error-rate: a percentage (0–100); latency: milliseconds. */
  readonly below: number;
  /** latency: the quantile, 0.5–0.999. */
  readonly quantile?: number;
}

export type RolloutStrategy =
  | { readonly kind: "canary"; readonly weights: readonly number[]; readonly pauseMs?: number; readonly conditions: readonly AnalysisCondition[] }
  | {
      readonly kind: "blue-green";
      /** The preview Service's name (default `<service>-preview`). */
      readonly preview?: string;
      /** `promote auto|manual`; absent: manual in environments named prod/production, auto elsewhere. */
      readonly promote?: "auto" | "manual";
      readonly conditions: readonly AnalysisCondition[];
    };

export interface ScalingPolicy {
  /** KEDA triggers; any makes the service's autoscaler a ScaledObject instead of a plain HPA. */
  readonly scale?: readonly (ScaleTrigger & { readonly origin: SourceRange })[];
  /** `right-size auto|recommend`: a VerticalPodAutoscaler applying (Auto) or only recommending (Off) requests. */
  readonly rightSize?: "auto" | "recommend";
  /** `rollout …`: an Argo Rollout drives the service's pods. */
  readonly rollout?: RolloutStrategy;
  /** `spot yes`: tolerate and prefer spot/preemptible nodes. */
  readonly spot?: boolean;
  /** The platform's `sleep` (model/sleep.ts), set on services and workers outside production: a ScaledObject scales them to zero out of hours. */
  readonly sleep?: SleepModel;
}
