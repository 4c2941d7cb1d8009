import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { ChaosRead } from "../semantic/schema/chaos-field.js";
import type { PlatformModel } from "./platform-model.js";
import { workloadKind } from "./workload-kind.js";
import { baseEnvironment } from "./cluster-topology.js";

/**
 * Chaos engineering (mission area 12): which environments run experiments, and the experiments
 * themselves, derived from the call graph so that they test exactly the resilience the spec
 * claims — replicas, timeouts and retries between callers and callees, database failover.
 */
export interface PlatformChaos {
  readonly chaos?: {
    /** The environments named, with where (for FIN4070). */
    readonly environments: readonly { readonly name: string; readonly range: SourceRange }[];
    readonly schedule: string;
    readonly latencyMs: number;
    readonly durationMs: number;
    readonly allowProduction: boolean;
    readonly origin: SourceRange;
  };
}

export const CHAOS_DEFAULTS = { schedule: "0 10 * * 2-4", latencyMs: 200, durationMs: 120_000 } as const;

export function lowerPlatformChaos(v: FieldValues): PlatformChaos {
  const c = v.get<ChaosRead>("chaos");
  if (!c) return {};
  return {
    chaos: {
      environments: c.environments,
      schedule: c.schedule ?? CHAOS_DEFAULTS.schedule,
      latencyMs: c.latencyMs ?? CHAOS_DEFAULTS.latencyMs,
      durationMs: c.durationMs ?? CHAOS_DEFAULTS.durationMs,
      allowProduction: c.allowProduction,
      origin: c.range,
    },
  };
}

/** Does `chaos` name this model's environment? */
export function chaosRunsHere(model: PlatformModel): boolean {
  return model.platform.chaos?.environments.some((e) => e.name === baseEnvironment(model)) ?? false;
}

/** Pods as a Chaos Mesh selector sees them: a namespace and labels. */
export interface PodSet {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type ChaosExperiment =
  | { readonly kind: "pod-kill"; readonly name: string; readonly target: PodSet; readonly why: string }
  | { readonly kind: "latency"; readonly name: string; readonly from: PodSet; readonly to: PodSet; readonly why: string }
  | { readonly kind: "partition"; readonly name: string; readonly database: PodSet; readonly callers: { readonly namespaces: readonly string[]; readonly names: readonly string[] }; readonly why: string };

const appPods = (namespace: string, name: string): PodSet => ({ namespace, labels: { "app.kubernetes.io/name": name } });

/** The experiments of this environment (none where `chaos` does not name it). */
export function chaosExperiments(model: PlatformModel): ChaosExperiment[] {
  const chaos = model.platform.chaos;
  if (!chaos || !chaosRunsHere(model)) return [];
  const services = new Map(model.services.map((s) => [s.name, s] as const));
  const databases = new Map(model.databases.map((d) => [d.name, d] as const));
  const out: ChaosExperiment[] = [];
  const serving = model.services.filter((s) => workloadKind(s) === "service" || workloadKind(s) === "worker");
  for (const s of serving) {
    // One replica of a service that runs one is an outage, not an experiment.
    if (s.replicas.min >= 2) out.push({ kind: "pod-kill", name: `${s.name}-pod-kill`, target: appPods(s.namespace, s.name), why: `${s.name} runs ${s.replicas.min}+ replicas: losing one must not fail a request` });
  }
  for (const s of model.services) {
    for (const callee of [...s.calls].sort()) {
      const t = services.get(callee);
      if (t && workloadKind(t) === "service")
        out.push({ kind: "latency", name: `${s.name}-to-${t.name}-latency`, from: appPods(s.namespace, s.name), to: appPods(t.namespace, t.name), why: `${s.name} calls ${t.name}: its timeouts and retries must absorb ${chaos.latencyMs}ms more` });
    }
  }
  for (const db of [...databases.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const callers = model.services.filter((s) => s.calls.includes(db.name) || s.secrets.some((x) => x.source.kind === "output" && x.source.database === db.name));
    const names = [...new Set(callers.map((c) => c.name))].sort();
    if (!names.length) continue;
    const pods: PodSet = db.mode === "operator" ? { namespace: db.namespace, labels: { "cnpg.io/cluster": db.name, "cnpg.io/instanceRole": "primary" } } : appPods(db.namespace, db.name);
    out.push({ kind: "partition", name: `${db.name}-partition`, database: pods, callers: { namespaces: [...new Set(callers.map((c) => c.namespace))].sort(), names }, why: `${names.join(", ")} must fail fast and recover when ${db.name}'s primary is unreachable` });
  }
  return out;
}
