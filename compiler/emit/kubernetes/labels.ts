import type { PlatformModel } from "../../model/platform-model.js";

/** Every object carries its environment (cost allocation, and Kustomize sets it per overlay). */
export const ENVIRONMENT_LABEL = "finc.dev/environment";

/** Recommended Kubernetes labels plus cost-allocation labels (area 15): team/platform/environment. */
export function labels(model: PlatformModel, name: string, component: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/instance": name,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": model.platform.name,
    "app.kubernetes.io/managed-by": "finc",
    [ENVIRONMENT_LABEL]: model.environment,
    ...extra,
  };
}

/** `cost-center "<id>"` of the namespace (or the platform's default): OpenCost aggregates by this label. */
export const COST_CENTER_LABEL = "finc.dev/cost-center";
export function costCenterLabels(model: PlatformModel, namespace: string): Record<string, string> {
  const id = model.namespaces.find((n) => n.name === namespace)?.costCenter ?? model.platform.costCenter;
  return id ? { [COST_CENTER_LABEL]: id } : {};
}

export function selector(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name };
}

export function metadata(name: string, namespace: string | undefined, l: Record<string, string>, annotations?: Record<string, string>): Record<string, unknown> {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: l,
    ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
  };
}

/** PriorityClass names per service tier (emitted cluster-wide by storage/priority emitters). */
export function priorityClassName(tier: string): string {
  return `finc-${tier}`;
}
