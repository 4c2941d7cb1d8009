import type { PlatformModel } from "../../model/platform-model.js";

/** The namespaces finc writes workloads into: the declared ones and any a workload or database names. */
export function platformNamespaces(model: PlatformModel): string[] {
  return [...new Set([...model.namespaces.map((n) => n.name), ...model.services.map((s) => s.namespace), ...model.databases.map((d) => d.namespace)])].sort();
}
