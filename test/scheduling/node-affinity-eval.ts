/**
 * The scheduler's node-affinity rule, written from the Kubernetes API reference (NodeSelector:
 * the terms are ORed; NodeSelectorTerm: the requirements are ANDed; In / NotIn / Exists /
 * DoesNotExist), independently of finc: does a node with these labels satisfy a pod spec's
 * required node affinity?
 */
type Requirement = { key: string; operator: string; values?: string[] };
type PodSpec = { affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: { matchExpressions?: Requirement[] }[] } } } };

function holds(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.operator) {
    case "In": return has && (r.values ?? []).includes(labels[r.key]!);
    case "NotIn": return !has || !(r.values ?? []).includes(labels[r.key]!);
    case "Exists": return has;
    case "DoesNotExist": return !has;
    default: throw new Error(`operator ${r.operator}`);
  }
}

export function nodeFits(spec: PodSpec, labels: Record<string, string>): boolean {
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return true;
  return terms.some((t) => (t.matchExpressions ?? []).every((r) => holds(r, labels)));
}
