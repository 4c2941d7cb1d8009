import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { TOPOLOGY_KEYS, type NodeRequirement, type SpreadRule } from "../../model/scheduling.js";
import { isStateful } from "../../model/volumes.js";
import { selector } from "./labels.js";

/**
 * The workload's own scheduling fields (model/scheduling.ts) applied last to a pod spec whose
 * placement (residency, spot, PCI pool) is already set, so every constraint holds together:
 *
 * - `on nodes`: the requirements are added to EVERY required nodeSelectorTerm (terms are ORed,
 *   the expressions inside one term ANDed): a pod must be in its residency regions AND on the pci
 *   nodes AND on the user's nodes — never one of them instead of another.
 * - `prefer nodes`: appended to the preferred terms (spot's weight-100 preference is kept).
 * - `spread … across`: replaces finc's default soft constraint of that topology; the other
 *   topology keeps its default.
 * - `spread … one-per`: pod anti-affinity on the workload's own pods.
 * - `scheduler`: spec.schedulerName.
 */

type Term = { matchExpressions?: unknown[] } & Record<string, unknown>;
type NodeAffinity = Record<string, unknown> & {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: Term[] };
  preferredDuringSchedulingIgnoredDuringExecution?: unknown[];
};

// Fresh objects per use: an object twice in a document is aliased by structuredClone (Helm templating).
const expression = (r: NodeRequirement) => ({ key: r.key, operator: r.operator, ...(r.values ? { values: [...r.values] } : {}) });

function withNodeAffinity(s: ServiceModel, nodeAffinity: NodeAffinity | undefined): NodeAffinity | undefined {
  const required = s.nodeRequirements ?? [];
  const preferred = s.nodePreferences ?? [];
  if (!required.length && !preferred.length) return nodeAffinity;
  const out: NodeAffinity = { ...nodeAffinity };
  if (required.length) {
    const req = nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const terms = req?.nodeSelectorTerms?.length ? req.nodeSelectorTerms : [{}];
    out.requiredDuringSchedulingIgnoredDuringExecution = {
      ...req,
      nodeSelectorTerms: terms.map((t) => ({ ...t, matchExpressions: [...(t.matchExpressions ?? []), ...required.map(expression)] })),
    };
  }
  if (preferred.length)
    out.preferredDuringSchedulingIgnoredDuringExecution = [
      ...(nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
      ...preferred.map((p) => ({ weight: p.weight, preference: { matchExpressions: p.requirements.map(expression) } })),
    ];
  return out;
}

/** A Deployment's ReplicaSets label their pods `pod-template-hash`: spreading counts only the current revision's pods during a rollout. */
const isDeployment = (s: ServiceModel) => (s.workload === undefined || s.workload === "worker") && !isStateful(s);

function spreadConstraint(s: ServiceModel, rule: SpreadRule): Record<string, unknown> {
  return {
    maxSkew: 1,
    topologyKey: TOPOLOGY_KEYS[rule.topology],
    whenUnsatisfiable: rule.mode === "hard" ? "DoNotSchedule" : "ScheduleAnyway",
    labelSelector: { matchLabels: selector(s.name) },
    ...(isDeployment(s) ? { matchLabelKeys: ["pod-template-hash"] } : {}),
  };
}

/** The last rule per topology and form wins (an environment may turn `hard` into `soft`). */
function lastPer(rules: readonly SpreadRule[], form: SpreadRule["form"]): SpreadRule[] {
  const by = new Map<string, SpreadRule>();
  for (const r of rules) if (r.form === form) by.set(r.topology, r);
  return [...by.values()];
}

function antiAffinity(s: ServiceModel, rules: readonly SpreadRule[]): Record<string, unknown> | undefined {
  if (!rules.length) return undefined;
  const term = (r: SpreadRule) => ({ labelSelector: { matchLabels: selector(s.name) }, topologyKey: TOPOLOGY_KEYS[r.topology] });
  const hard = rules.filter((r) => r.mode === "hard");
  const soft = rules.filter((r) => r.mode === "soft");
  return {
    ...(hard.length ? { requiredDuringSchedulingIgnoredDuringExecution: hard.map(term) } : {}),
    ...(soft.length ? { preferredDuringSchedulingIgnoredDuringExecution: soft.map((r) => ({ weight: 100, podAffinityTerm: term(r) })) } : {}),
  };
}

export function withScheduling(_model: PlatformModel, s: ServiceModel, spec: Record<string, unknown>): Record<string, unknown> {
  const across = lastPer(s.spread ?? [], "across");
  const onePer = lastPer(s.spread ?? [], "one-per");
  if (!s.nodeRequirements?.length && !s.nodePreferences?.length && !across.length && !onePer.length && !s.schedulerName) return spec;
  const out: Record<string, unknown> = { ...spec };
  if (s.schedulerName) out["schedulerName"] = s.schedulerName;
  if (across.length) {
    const replaced = new Set(across.map((r) => TOPOLOGY_KEYS[r.topology]));
    const kept = ((spec["topologySpreadConstraints"] as { topologyKey?: string }[] | undefined) ?? []).filter((c) => !replaced.has(c.topologyKey ?? ""));
    // Zones before nodes, as the defaults are ordered.
    out["topologySpreadConstraints"] = [...across.map((r) => spreadConstraint(s, r)), ...kept].sort((a, b) => order(a) - order(b));
  }
  const affinity = (spec["affinity"] ?? {}) as { nodeAffinity?: NodeAffinity } & Record<string, unknown>;
  const nodeAffinity = withNodeAffinity(s, affinity.nodeAffinity);
  const pods = antiAffinity(s, onePer);
  if (nodeAffinity !== affinity.nodeAffinity || pods)
    out["affinity"] = { ...affinity, ...(nodeAffinity ? { nodeAffinity } : {}), ...(pods ? { podAntiAffinity: pods } : {}) };
  return out;
}

const order = (c: unknown) => ((c as { topologyKey?: string }).topologyKey === TOPOLOGY_KEYS.zones ? 0 : 1);
