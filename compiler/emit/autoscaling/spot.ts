import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { SPOT_TAINTS } from "../../model/nodepool-model.js";

/**
 * The pod placement with spot capacity added: tolerate the spot taint and PREFER spot
 * nodes (weight 100), so pods still schedule on on-demand nodes when spot is reclaimed
 * or unavailable. Required node affinity (data residency) is kept as it is. The taint and
 * label are those the spot node pools carry (SPOT_TAINTS, model/nodepool-model.ts).
 */
export function withSpot(model: PlatformModel, s: ServiceModel, placement: Record<string, unknown>): Record<string, unknown> {
  if (!s.scaling?.spot || model.platform.cloud === "onprem") return placement;
  const { key, value, effect } = SPOT_TAINTS[model.platform.cloud];
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
    tolerations: [{ key, operator: "Equal", value, effect }],
  };
}
