import { inPciScope, PCI_TAINT } from "../../model/nodepool-model.js";
import type { PlatformModel } from "../../model/platform-model.js";

type NodeSelectorTerm = { matchExpressions?: unknown[] };
type NodeAffinity = Record<string, unknown> & { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } };

// Fresh objects for every use: an object twice in a document is aliased by structuredClone (Helm templating).
const pciToleration = () => ({ key: PCI_TAINT.key, operator: "Equal", value: PCI_TAINT.value, effect: PCI_TAINT.effect });

/** The tolerations with the pci one, once (a replica Cluster re-applies its primary's affinity). */
function tolerating(tolerations: unknown): unknown[] {
  const list = (tolerations as unknown[] | undefined) ?? [];
  return list.some((t) => (t as { key?: string }).key === PCI_TAINT.key) ? list : [...list, pciToleration()];
}

/**
 * The node affinity with the pci label required: added to every required term (the terms
 * are ORed, the expressions of a term ANDed, so residency still holds).
 */
function requirePci(nodeAffinity: NodeAffinity | undefined): NodeAffinity {
  const required = nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms = required?.nodeSelectorTerms?.length ? required.nodeSelectorTerms : [{}];
  return {
    ...nodeAffinity,
    requiredDuringSchedulingIgnoredDuringExecution: { ...required, nodeSelectorTerms: terms.map((t) => ({ ...t, matchExpressions: [...(t.matchExpressions ?? []), { key: PCI_TAINT.key, operator: "In", values: [PCI_TAINT.value] }] })) },
  };
}

/**
 * A pod spec's placement (`affinity`, `tolerations`) for a workload of a namespace in PCI DSS
 * scope (named by a `taint pci` pool): it tolerates the pci taint and is required on pci nodes.
 */
export function withPciPool(model: PlatformModel, namespace: string, placement: Record<string, unknown>): Record<string, unknown> {
  if (!inPciScope(model, namespace)) return placement;
  const affinity = (placement["affinity"] ?? {}) as { nodeAffinity?: NodeAffinity };
  return {
    ...placement,
    affinity: { ...affinity, nodeAffinity: requirePci(affinity.nodeAffinity) },
    tolerations: tolerating(placement["tolerations"]),
  };
}

/** The same for a CloudNativePG Cluster's `spec.affinity`, which holds nodeAffinity and tolerations side by side. */
export function withPciPoolCnpg(model: PlatformModel, namespace: string, affinity: Record<string, unknown>): Record<string, unknown> {
  if (!inPciScope(model, namespace)) return affinity;
  return {
    ...affinity,
    nodeAffinity: requirePci(affinity["nodeAffinity"] as NodeAffinity | undefined),
    tolerations: tolerating(affinity["tolerations"]),
  };
}
