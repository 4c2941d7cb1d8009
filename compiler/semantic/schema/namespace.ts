import { eachTerm, single } from "../readers.js";
import { UNIT_SUFFIXES } from "../../model/units.js";
import { budgetField } from "./budget-field.js";
import { field, type KindSpec } from "./field-spec.js";
import { RANGES } from "./value-ranges.js";
import { JURISDICTIONS } from "../../model/residency-regions.js";
import { costCenterField } from "./cost-center-field.js";

export const namespaceSpec: KindSpec = {
  doc: "A namespace isolating a group of workloads: Pod Security Standards level, default-deny networking, quota and limits.",
  required: [],
  fields: {
    security: field({
      doc: "The Pod Security Standards level enforced on the namespace (restricted unless there is a reason).",
      syntax: "restricted | baseline | privileged",
      example: "restricted",
      values: ["restricted", "baseline", "privileged"],
      read: (ctx) => single(ctx, (r) => r.oneOf(["restricted", "baseline", "privileged"] as const, "Pod Security Standards level")),
    }),
    quota: field({
      doc: "The namespace's ResourceQuota: `quota cpu 40, memory 128Gi, pods 200`. finc checks that the workloads at their maximum replicas fit it.",
      syntax: "cpu <n>, memory <n>, pods <n>",
      example: "cpu 40, memory 128Gi, pods 200",
      values: ["cpu", "memory", "pods"],
      units: [...UNIT_SUFFIXES.cpu, ...UNIT_SUFFIXES.memory],
      numbers: [RANGES.quotaCpu, RANGES.quotaMemory, RANGES.quotaPods],
      read: (ctx) => {
        const out: { cpuMillis?: number; memoryBytes?: number; pods?: number } = {};
        eachTerm(ctx, (r) => {
          const which = r.oneOf(["cpu", "memory", "pods"] as const, "quota resource");
          if (which === "cpu") return (out.cpuMillis = r.cpu(RANGES.quotaCpu));
          if (which === "memory") return (out.memoryBytes = r.memory(RANGES.quotaMemory)?.bytes);
          if (which === "pods") return (out.pods = r.count(RANGES.quotaPods));
          return undefined;
        });
        return out;
      },
    }),
    residency: field({
      doc: "Data residency: the namespace's pods (and its databases' instances) are scheduled only on nodes whose `topology.kubernetes.io/region` is a region of the platform's cloud inside this jurisdiction (AWS, GCP and Azure names, from the table in compiler/model/residency-regions.ts: `eu` is the EU/EEA, so AWS eu-west-2 (London) and GCP europe-west6 (Zurich) are not in it). Every platform region must be inside it (FIN4050). On `cloud onprem` a region belongs to `eu` when it is named `eu` or `eu-…`.",
      syntax: JURISDICTIONS.join(" | "),
      example: "eu",
      values: JURISDICTIONS,
      read: (ctx) => single(ctx, (r) => r.word("a residency zone")?.name),
    }),
    budget: budgetField,
    "cost-center": costCenterField,
    deploy: field({
      doc: "`deploy immutable` (PCI scope, PCI DSS v4.0.1 6.5.1): what runs in the namespace changes only by a new object from the reviewed spec. Every image must be pinned by digest (`@sha256:…`, FIN4074), ConfigMaps and the Secrets finc syncs are `immutable: true` under names carrying a hash of their content (a change creates a new object and rolls the pods onto it), and the admission policy denies images without a digest instead of warning.",
      syntax: "immutable",
      example: "immutable",
      values: ["immutable"],
      read: (ctx) => single(ctx, (r) => r.oneOf(["immutable"] as const, "deploy mode")),
    }),
  },
};
