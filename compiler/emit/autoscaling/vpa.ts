import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { formatCpu, formatMemory } from "../../model/units.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";
import { scaleTargetRef } from "../rollouts/target.js";

/**
 * `right-size auto|recommend`: a VerticalPodAutoscaler. `auto` lets it set the requests
 * (updateMode Recreate — what `Auto` means, spelled as VPA 1.4+ prefers), `recommend`
 * only publishes recommendations (Off). It controls requests only and never beyond the
 * service's limits, so the namespace quota (checked at max replicas × limits) still holds.
 */
export function vpaDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  const mode = s.scaling?.rightSize;
  if (!mode) return [];
  const f = s.fields;
  return [document(`${s.namespace}/verticalpodautoscaler-${s.name}.yaml`, {
    apiVersion: "autoscaling.k8s.io/v1",
    kind: "VerticalPodAutoscaler",
    metadata: metadata(s.name, s.namespace, labels(model, s.name, "autoscaling")),
    spec: {
      targetRef: scaleTargetRef(s),
      updatePolicy: { updateMode: mode === "auto" ? "Recreate" : "Off" },
      resourcePolicy: {
        containerPolicies: [{
          containerName: s.name,
          controlledResources: ["cpu", "memory"],
          controlledValues: "RequestsOnly",
          maxAllowed: { cpu: formatCpu(s.resources.cpu.limit), memory: formatMemory(s.resources.memory.limit) },
        }],
      },
    },
  }, f["right-size"] ?? s.origin, {
    "/spec/updatePolicy/updateMode": f["right-size"],
    "/spec/resourcePolicy/containerPolicies/0/maxAllowed/cpu": f["cpu"],
    "/spec/resourcePolicy/containerPolicies/0/maxAllowed/memory": f["memory"],
  })];
}
