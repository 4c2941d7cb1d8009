import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { DeclInfo } from "../semantic/declarations.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { Ref } from "../semantic/readers.js";
import type { Cloud, Entity, PlatformModel, ServiceModel } from "./platform-model.js";

/** A `nodepool` declaration: nodes the cluster creates on demand (Karpenter on AWS). */
export interface NodePoolModel extends Entity {
  readonly capacity: "spot" | "on-demand";
  readonly instanceTypes: readonly string[];
  readonly limit?: { readonly cpuMillis?: number; readonly memoryBytes?: number };
  readonly zones: readonly string[];
  /** `taint pci`: only the workloads of `namespaces` (the PCI DSS scope) run here. */
  readonly pci: boolean;
  readonly namespaces: readonly { readonly name: string; readonly range: SourceRange }[];
  readonly expireMs?: number;
  readonly consolidate: "when-empty" | "when-underutilized";
}

export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NoSchedule";
}

/**
 * The one source of truth for spot capacity: each cloud's spot node label, which is also the
 * taint its spot pools carry (AKS always taints spot pools; finc's Karpenter spot pools do
 * too), so `spot yes` tolerations (emit/autoscaling/spot.ts) and the pools agree.
 */
export const SPOT_TAINTS: Readonly<Record<Exclude<Cloud, "onprem">, NodeTaint>> = {
  aws: { key: "karpenter.sh/capacity-type", value: "spot", effect: "NoSchedule" },
  gcp: { key: "cloud.google.com/gke-spot", value: "true", effect: "NoSchedule" },
  azure: { key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: "NoSchedule" },
};

/** The taint and label of `taint pci` pools: only workloads in PCI DSS scope tolerate it. */
export const PCI_TAINT: NodeTaint = { key: "finc.dev/pci-dss", value: "true", effect: "NoSchedule" };

export function lowerNodePool(d: DeclInfo, v: FieldValues): NodePoolModel {
  const limit = v.get<{ cpuMillis?: number; memoryBytes?: number }>("limit");
  const expireMs = v.get<number>("expire");
  return {
    name: d.name,
    origin: { file: d.file, start: d.node.start, end: d.node.end },
    fields: { ...v.origins },
    ...(d.node.doc ? { doc: d.node.doc } : {}),
    capacity: v.get<"spot" | "on-demand">("capacity") ?? "on-demand",
    instanceTypes: v.get<string[]>("instance-types") ?? [],
    ...(limit && Object.keys(limit).length ? { limit } : {}),
    zones: v.get<string[]>("zones") ?? [],
    pci: v.get<string>("taint") === "pci",
    namespaces: (v.get<Ref[]>("namespaces") ?? []).map((r) => ({ name: r.name, range: r.range })),
    ...(expireMs !== undefined ? { expireMs } : {}),
    consolidate: v.get<"when-empty" | "when-underutilized">("consolidate") ?? "when-underutilized",
  };
}

/** The taints a pool's nodes carry. */
export function poolTaints(model: PlatformModel, p: NodePoolModel): NodeTaint[] {
  const spot = model.platform.cloud === "onprem" ? undefined : SPOT_TAINTS[model.platform.cloud];
  return [...(p.capacity === "spot" && spot ? [spot] : []), ...(p.pci ? [PCI_TAINT] : [])];
}

/** Is the namespace in PCI DSS scope: named by a `taint pci` pool? Its workloads and databases run on pci nodes only. */
export function inPciScope(model: PlatformModel, namespace: string): boolean {
  return (model.nodePools ?? []).some((p) => p.pci && p.namespaces.some((n) => n.name === namespace));
}

/**
 * Can the workload's pods run on the pool's nodes: it tolerates every taint (spot with
 * `spot yes`, pci in PCI scope), and a workload in PCI scope is required on pci pools.
 */
export function landsOn(model: PlatformModel, s: ServiceModel, p: NodePoolModel): boolean {
  const pci = inPciScope(model, s.namespace);
  if (pci !== p.pci) return false;
  return p.capacity !== "spot" || s.scaling?.spot === true;
}
