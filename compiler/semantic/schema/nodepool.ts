import { eachTerm, single } from "../readers.js";
import { UNIT_SUFFIXES } from "../../model/units.js";
import { field, type KindSpec } from "./field-spec.js";
import { RANGES, type ValueRange } from "./value-ranges.js";

const HOUR = 3_600_000;
/** Karpenter's expireAfter is a Go duration; an hour at least (nodes younger than that are still joining), a year at most. */
const EXPIRE: ValueRange = { kind: "duration", what: "The node lifetime", target: "NodePool spec.template.spec.expireAfter (duration, whole seconds)", min: HOUR, max: 365 * 24 * HOUR, step: 1000, example: "720h" };

export const CAPACITIES = ["spot", "on-demand"] as const;
export const CONSOLIDATION = ["when-empty", "when-underutilized"] as const;

/** What a `nodepool` declaration reads into (lowered by model/nodepool-model.ts). */
export interface NodePoolLimit {
  cpuMillis?: number;
  memoryBytes?: number;
}

export const nodePoolSpec: KindSpec = {
  doc: "A pool of nodes the cluster creates on demand: on `cloud aws` a Karpenter NodePool and its EC2NodeClass (nodes in the subnets and security groups tagged `karpenter.sh/discovery: <cluster>`, IMDSv2 only, an encrypted gp3 root volume with the platform's `kms` key); on `cloud gcp` and `cloud azure` the `terraform` target's GKE node pool (`google_container_node_pool`: autoscaled, Shielded nodes, Workload Identity metadata, CMEK boot disk) or AKS node pool (`azurerm_kubernetes_cluster_node_pool`: autoscaled, host encryption) of the environment's `cluster`; what a field cannot mean there is FIN4096. `spot yes` workloads need a spot pool (FIN4072); `taint pci` keeps every workload but those of the pool's `namespaces` off its nodes.",
  required: [],
  fields: {
    capacity: field({
      doc: "Spot or on-demand instances (default on-demand). A spot pool is tainted with the key and value `spot yes` workloads tolerate, so only they land on it: `karpenter.sh/capacity-type=spot:NoSchedule` on aws, `cloud.google.com/gke-spot=true:NoSchedule` on gcp (Spot VMs; GKE labels the nodes `cloud.google.com/gke-spot=true`), `kubernetes.azure.com/scalesetpriority=spot:NoSchedule` on azure (a Spot scale set, evicted VMs deleted, at most the on-demand price; AKS's own taint and label).",
      syntax: CAPACITIES.join(" | "),
      example: "spot",
      values: CAPACITIES,
      read: (ctx) => single(ctx, (r) => r.oneOf(CAPACITIES, "node capacity")),
    }),
    "instance-types": field({
      doc: "The EC2 instance types the pool may launch (default: any Karpenter picks). On gcp one Compute Engine machine type (default `e2-standard-4`), on azure one VM size (default `Standard_D4s_v5`): GKE and AKS pools have a single type (FIN4096).",
      syntax: '"<type>", …',
      example: '"m6i.large", "m6i.xlarge"',
      read: (ctx) => eachTerm(ctx, (r) => {
        const s = r.string('an instance type such as "m6i.large"');
        if (!s) return undefined;
        // Each cloud's own form (EC2 "m6i.large", GCE "e2-standard-4", Azure "Standard_D4s_v5") is FIN4096 (check-cloud-nodepools.ts).
        return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s.value) ? s.value : r.mismatch('an instance type such as "m6i.large" (gcp "e2-standard-4", azure "Standard_D4s_v5")', r.term.atoms[0]);
      }),
    }),
    limit: field({
      doc: "The most the pool may provision in total: `limit cpu 200, memory 800Gi` (the NodePool's limits; Karpenter launches no node past them). On gcp and azure the cluster autoscaler's maximum node count: as many nodes of the machine type as fit in each limit (default 10 nodes; FIN4096 when the type's name does not tell its size or the limit holds no node).",
      syntax: "cpu <n>, memory <n>",
      example: "cpu 200, memory 800Gi",
      values: ["cpu", "memory"],
      units: [...UNIT_SUFFIXES.cpu, ...UNIT_SUFFIXES.memory],
      numbers: [RANGES.quotaCpu, RANGES.quotaMemory],
      read: (ctx) => {
        const out: NodePoolLimit = {};
        eachTerm(ctx, (r) => {
          const which = r.oneOf(["cpu", "memory"] as const, "pool limit");
          if (which === "cpu") return (out.cpuMillis = r.cpu(RANGES.quotaCpu));
          if (which === "memory") return (out.memoryBytes = r.memory(RANGES.quotaMemory)?.bytes);
          return undefined;
        });
        return out;
      },
    }),
    zones: field({
      doc: "The availability zones the pool's nodes may be in (default: the zones of the tagged subnets). On gcp zones of the platform's regions (`\"europe-west1-b\"`, the pool's node locations; default the cluster's); on azure `\"1\"`, `\"2\"`, `\"3\"` (default all three).",
      syntax: '"<zone>", …',
      example: '"eu-west-1a", "eu-west-1b"',
      read: (ctx) => eachTerm(ctx, (r) => r.string('a zone such as "eu-west-1a"')?.value),
    }),
    taint: field({
      doc: "`taint pci`: the pool is for the cardholder data environment. Its nodes carry the taint `finc.dev/pci-dss=true:NoSchedule` and the label `finc.dev/pci-dss: \"true\"`; the workloads and databases of the namespaces it names in `namespaces` tolerate the taint and are required on such nodes, nothing else tolerates it (FIN4073 without `namespaces`). Meant for platforms under `compliance pci-dss` (PCI DSS 1.3/1.4: the cardholder data environment segmented from other workloads).",
      syntax: "pci",
      example: "pci",
      values: ["pci"],
      read: (ctx) => single(ctx, (r) => r.oneOf(["pci"] as const, "pool taint")),
    }),
    namespaces: field({
      doc: "With `taint pci`: the namespaces in PCI DSS scope, whose workloads and databases run on pci nodes only.",
      syntax: "<namespace>, …",
      example: "payments",
      read: (ctx) => eachTerm(ctx, (r) => r.word("a namespace")),
    }),
    expire: field({
      doc: "How long a node lives before Karpenter replaces it (expireAfter; default 720h), so nodes pick up new AMIs and patches. Karpenter only: ignored on gcp and azure (FIN4096 warning), whose pools upgrade their nodes automatically.",
      syntax: "<duration>",
      example: "720h",
      numbers: [EXPIRE],
      read: (ctx) => single(ctx, (r) => r.duration(EXPIRE)),
    }),
    consolidate: field({
      doc: "When Karpenter may remove or replace nodes to save cost: `when-empty` (only nodes without workload pods) or `when-underutilized` (the default: also moves pods off under-used nodes). Karpenter only: on gcp and azure the cluster autoscaler's cluster-wide profile decides (FIN4096 warning).",
      syntax: CONSOLIDATION.join(" | "),
      example: "when-empty",
      values: CONSOLIDATION,
      read: (ctx) => single(ctx, (r) => r.oneOf(CONSOLIDATION, "consolidation policy")),
    }),
  },
};
