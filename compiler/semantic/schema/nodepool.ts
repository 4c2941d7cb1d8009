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
  doc: "A pool of nodes the cluster creates on demand: on `cloud aws` a Karpenter NodePool and its EC2NodeClass (nodes in the subnets and security groups tagged `karpenter.sh/discovery: <cluster>`, IMDSv2 only, an encrypted gp3 root volume with the platform's `kms` key). `spot yes` workloads need a spot pool (FIN4072); `taint pci` keeps every workload but those of the pool's `namespaces` off its nodes.",
  required: [],
  fields: {
    capacity: field({
      doc: "Spot or on-demand instances (default on-demand). A spot pool is tainted with the key and value `spot yes` workloads tolerate (`karpenter.sh/capacity-type=spot:NoSchedule`), so only they land on it.",
      syntax: CAPACITIES.join(" | "),
      example: "spot",
      values: CAPACITIES,
      read: (ctx) => single(ctx, (r) => r.oneOf(CAPACITIES, "node capacity")),
    }),
    "instance-types": field({
      doc: "The EC2 instance types the pool may launch (default: any Karpenter picks).",
      syntax: '"<type>", …',
      example: '"m6i.large", "m6i.xlarge"',
      read: (ctx) => eachTerm(ctx, (r) => {
        const s = r.string('an instance type such as "m6i.large"');
        if (!s) return undefined;
        return /^[a-z0-9-]+\.[a-z0-9]+$/.test(s.value) ? s.value : r.mismatch('an instance type such as "m6i.large"', r.term.atoms[0]);
      }),
    }),
    limit: field({
      doc: "The most the pool may provision in total: `limit cpu 200, memory 800Gi` (the NodePool's limits; Karpenter launches no node past them).",
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
      doc: "The availability zones the pool's nodes may be in (default: the zones of the tagged subnets).",
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
      doc: "How long a node lives before Karpenter replaces it (expireAfter; default 720h), so nodes pick up new AMIs and patches.",
      syntax: "<duration>",
      example: "720h",
      numbers: [EXPIRE],
      read: (ctx) => single(ctx, (r) => r.duration(EXPIRE)),
    }),
    consolidate: field({
      doc: "When Karpenter may remove or replace nodes to save cost: `when-empty` (only nodes without workload pods) or `when-underutilized` (the default: also moves pods off under-used nodes).",
      syntax: CONSOLIDATION.join(" | "),
      example: "when-empty",
      values: CONSOLIDATION,
      read: (ctx) => single(ctx, (r) => r.oneOf(CONSOLIDATION, "consolidation policy")),
    }),
  },
};
