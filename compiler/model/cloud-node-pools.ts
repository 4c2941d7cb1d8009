import type { NodePoolModel } from "./nodepool-model.js";
import type { PlatformModel } from "./platform-model.js";

/**
 * What a `nodepool` becomes on GKE and AKS (the terraform target's google_container_node_pool
 * and azurerm_kubernetes_cluster_node_pool), shared by the checker (FIN4096) and the emitters
 * so that both read a pool the same way. Both clouds' pools have ONE machine type and scale by
 * node count, so a pool's `limit` (cpu and memory in total) is turned into a node count here.
 */

/** The machine type of a pool without `instance-types`: general purpose, 4 vCPUs and 16 GiB. */
export const DEFAULT_MACHINE = { gcp: "e2-standard-4", azure: "Standard_D4s_v5" } as const;

/** The most nodes of a pool without `limit`: the cluster autoscaler needs a maximum. */
export const DEFAULT_MAX_NODES = 10;

/** AKS caps a node pool at 1000 nodes; GKE at 1000 per zone (3 zones). */
export const MAX_NODES = { gcp: 3000, azure: 1000 } as const;

/** vCPUs and memory of one node, when the type's name tells them. */
export interface MachineShape {
  readonly vcpus: number;
  readonly memoryGiB?: number;
}

/** GiB of memory per vCPU of a Compute Engine machine class (`<series>-<class>-<vcpus>`), per series where it differs. */
const GCP_MEMORY_PER_VCPU: Record<string, number> = { standard: 4, highmem: 8, highcpu: 1 };
const GCP_SERIES_MEMORY: Record<string, Record<string, number>> = { n1: { standard: 3.75, highmem: 6.5, highcpu: 0.9 }, c3: { highcpu: 2 }, c3d: { highcpu: 2 }, c4: { highcpu: 2 } };
/** E2's shared-core types (two vCPUs they may burst to). */
const GCP_SHARED: Record<string, MachineShape> = { "e2-micro": { vcpus: 2, memoryGiB: 1 }, "e2-small": { vcpus: 2, memoryGiB: 2 }, "e2-medium": { vcpus: 2, memoryGiB: 4 } };

/** A Compute Engine machine type name: `e2-standard-4`, `n2d-highmem-8`, `c3-standard-4-lssd`, `n2-custom-4-16384`. */
export const GCP_MACHINE = /^[a-z][a-z0-9]*-[a-z0-9]+(-[a-z0-9]+)*$/;
/** An Azure VM size: `Standard_D4s_v5`, `Standard_E8ads_v5`, `Standard_F16s_v2`. */
export const AZURE_VM_SIZE = /^Standard_[A-Za-z0-9]+(_[A-Za-z0-9]+)*$/;

export function gcpMachineShape(type: string): MachineShape | undefined {
  if (GCP_SHARED[type]) return GCP_SHARED[type];
  const custom = /^[a-z0-9]+-custom-(\d+)-(\d+)$/.exec(type);
  if (custom) return { vcpus: Number(custom[1]), memoryGiB: Number(custom[2]) / 1024 };
  const m = /^([a-z0-9]+)-([a-z]+)-(\d+)(-[a-z0-9]+)?$/.exec(type);
  if (!m) return undefined;
  const [, series, cls, n] = m;
  const perVcpu = GCP_SERIES_MEMORY[series!]?.[cls!] ?? GCP_MEMORY_PER_VCPU[cls!];
  return { vcpus: Number(n), ...(perVcpu !== undefined ? { memoryGiB: perVcpu * Number(n) } : {}) };
}

/** GiB per vCPU of the Azure families whose ratio is fixed (v3 and later). */
const AZURE_MEMORY_PER_VCPU: Record<string, number> = { D: 4, E: 8, F: 2 };

export function azureVmShape(size: string): MachineShape | undefined {
  const m = /^Standard_([A-Z]+)(\d+)([a-z]*)(_v\d+)?$/.exec(size);
  if (!m) return undefined;
  const [, family, n, , version] = m;
  const perVcpu = version && Number(version.slice(2)) >= 3 ? AZURE_MEMORY_PER_VCPU[family!] : undefined;
  return { vcpus: Number(n), ...(perVcpu !== undefined ? { memoryGiB: perVcpu * Number(n) } : {}) };
}

/** The machine type a pool's nodes get on the cloud (the first of `instance-types`: FIN4096 refuses more). */
export function poolMachine(cloud: "gcp" | "azure", p: NodePoolModel): string {
  return p.instanceTypes[0] ?? DEFAULT_MACHINE[cloud];
}

export function machineShape(cloud: "gcp" | "azure", type: string): MachineShape | undefined {
  return cloud === "gcp" ? gcpMachineShape(type) : azureVmShape(type);
}

/**
 * The most nodes the pool may have: as many as fit in its `limit` (each of cpu and memory),
 * else DEFAULT_MAX_NODES. Undefined when the limit cannot be turned into nodes (the machine's
 * shape is unknown: FIN4096).
 */
export function maxNodes(cloud: "gcp" | "azure", p: NodePoolModel): number | undefined {
  if (!p.limit) return DEFAULT_MAX_NODES;
  const shape = machineShape(cloud, poolMachine(cloud, p));
  if (!shape) return undefined;
  const bounds: number[] = [];
  if (p.limit.cpuMillis !== undefined) bounds.push(Math.floor(p.limit.cpuMillis / (shape.vcpus * 1000)));
  if (p.limit.memoryBytes !== undefined) {
    if (shape.memoryGiB === undefined) return undefined;
    bounds.push(Math.floor(p.limit.memoryBytes / (shape.memoryGiB * 2 ** 30)));
  }
  return Math.min(MAX_NODES[cloud], ...bounds);
}

/** AKS zones are numbers within the region; a pool without `zones` spreads over the region's three. */
export function azurePoolZones(p: NodePoolModel): string[] {
  return p.zones.length ? [...p.zones] : ["1", "2", "3"];
}

/** The node pools the terraform target writes for this environment's cloud (none on aws, where Karpenter creates nodes, and onprem). */
export function cloudNodePools(model: PlatformModel, cloud: "gcp" | "azure"): readonly NodePoolModel[] {
  return model.platform.cloud === cloud ? model.nodePools ?? [] : [];
}
