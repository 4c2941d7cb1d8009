import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";

/**
 * Scheduling fields of a workload (issue 14 item 4): node affinity (`on nodes`, `prefer nodes`),
 * spreading its own pods (`spread`) and a custom scheduler (`scheduler`). Plain data the pod
 * emitter merges with residency, spot and PCI placement (emit/kubernetes/scheduling.ts).
 */

/** A Kubernetes NodeSelectorRequirement as `on nodes "…"` writes it. */
export interface NodeRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: readonly string[];
}

/** `prefer nodes "<selector>" [weight N]`. */
export interface NodePreference {
  readonly requirements: readonly NodeRequirement[];
  readonly weight: number;
}

export type SpreadTopology = "zones" | "nodes";

/**
 * `spread hard|soft across zones|nodes`: a topology spread constraint (maxSkew 1) replacing the
 * default soft one of that topology; `spread hard|soft one-per zone|node`: pod anti-affinity (no
 * two of the workload's pods in one zone / on one node; soft: preferred).
 */
export interface SpreadRule {
  readonly mode: "hard" | "soft";
  readonly form: "across" | "one-per";
  readonly topology: SpreadTopology;
  readonly range: SourceRange;
}

export interface ServiceScheduling {
  /** `on nodes "…"` lines: every requirement must hold (ANDed into every required node selector term). */
  readonly nodeRequirements?: readonly NodeRequirement[];
  readonly nodePreferences?: readonly NodePreference[];
  readonly spread?: readonly SpreadRule[];
  /** `scheduler "<name>"`: spec.schedulerName. */
  readonly schedulerName?: string;
}

export const TOPOLOGY_KEYS: Readonly<Record<SpreadTopology, string>> = {
  zones: "topology.kubernetes.io/zone",
  nodes: "kubernetes.io/hostname",
};

/** The default weight of `prefer nodes` (spot capacity prefers with 100, so spot still wins where it applies). */
export const DEFAULT_PREFERENCE_WEIGHT = 50;

export function lowerScheduling(v: FieldValues): ServiceScheduling {
  const required = v.all<NodeRequirement[]>("on").flat();
  const preferred = v.all<NodePreference>("prefer");
  const spread = v.all<SpreadRule>("spread");
  const scheduler = v.get<string>("scheduler");
  return {
    ...(required.length ? { nodeRequirements: required } : {}),
    ...(preferred.length ? { nodePreferences: preferred } : {}),
    ...(spread.length ? { spread } : {}),
    ...(scheduler ? { schedulerName: scheduler } : {}),
  };
}
