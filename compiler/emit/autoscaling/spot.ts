import type { Cloud, PlatformModel, ServiceModel } from "../../model/platform-model.js";

/**
 * `spot yes`: each cloud's spot/preemptible node label, and the taint its spot pools
 * carry (AKS always taints spot pools; Karpenter and GKE node pools may be tainted too).
 */
const SPOT: Record<Exclude<Cloud, "onprem">, { key: string; value: string }> = {
  aws: { key: "karpenter.sh/capacity-type", value: "spot" },
  gcp: { key: "cloud.google.com/gke-spot", value: "true" },
  azure: { key: "kubernetes.azure.com/scalesetpriority", value: "spot" },
};

/**
 * The pod placement with spot capacity added: tolerate the spot taint and PREFER spot
 * nodes (weight 100), so pods still schedule on on-demand nodes when spot is reclaimed
 * or unavailable. Required node affinity (data residency) is kept as it is.
 */
export function withSpot(model: PlatformModel, s: ServiceModel, placement: Record<string, unknown>): Record<string, unknown> {
  if (!s.scaling?.spot || model.platform.cloud === "onprem") return placement;
  const { key, value } = SPOT[model.platform.cloud];
  const affinity = (placement["affinity"] ?? {}) as { nodeAffinity?: Record<string, unknown> };
  return {
    ...placement,
    affinity: {
      ...affinity,
      nodeAffinity: {
        ...affinity.nodeAffinity,
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key, operator: "In", values: [value] }] } }],
      },
    },
    tolerations: [{ key, operator: "Equal", value, effect: "NoSchedule" }],
  };
}
