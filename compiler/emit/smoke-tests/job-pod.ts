import type { PlatformModel } from "../../model/platform-model.js";
import { residencyRegions } from "../kubernetes/pod.js";
import { withPciPool } from "../nodepools/pci-placement.js";
import { names } from "../kubernetes/names.js";

/**
 * Where a finc-made Job's pod (a smoke test, a restore drill) may run: in a data-resident namespace
 * only on its regions (the admission policy requires it), in PCI scope on the pci nodes.
 */
export function jobPlacement(model: PlatformModel, namespace: string): Record<string, unknown> {
  const regions = residencyRegions(model, namespace);
  const base = regions.length ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/region", operator: "In", values: regions }] }] } } } } : {};
  return withPciPool(model, namespace, base);
}

/** The pull secret, when the image comes from the platform's registry (every namespace has its ExternalSecret). */
export function pullSecrets(model: PlatformModel, image: string): Record<string, unknown> {
  const r = model.platform.registry;
  return r && image.startsWith(`${r.host}/`) ? { imagePullSecrets: [{ name: names.registrySecret }] } : {};
}
