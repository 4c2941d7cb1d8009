import type { ServiceModel } from "../../model/platform-model.js";
import { isStateful } from "../../model/volumes.js";

/**
 * The object that runs a service's pods, for autoscalers to scale: its Deployment, or
 * with `rollout …` the Argo Rollout that takes the Deployment's pod template
 * (`workloadRef`) and owns the ReplicaSets.
 */
export function scaleTargetRef(s: ServiceModel): { apiVersion: string; kind: string; name: string } {
  return s.scaling?.rollout
    ? { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: s.name }
    : { apiVersion: "apps/v1", kind: isStateful(s) ? "StatefulSet" : "Deployment", name: s.name };
}

/** Does a ScaledObject (KEDA) replace the service's plain HPA? */
export function kedaScaled(s: ServiceModel): boolean {
  return !!s.scaling?.scale?.length || !!s.scaling?.sleep;
}
