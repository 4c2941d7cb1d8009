import type { PlatformModel } from "../../model/platform-model.js";
import { document, type EmittedDocument } from "../output.js";
import { labels, metadata, priorityClassName } from "./labels.js";

const VALUES: Record<string, { value: number; description: string }> = {
  critical: { value: 100000, description: "finc: payment-critical workloads, scheduled first and preempted last." },
  standard: { value: 10000, description: "finc: standard platform workloads." },
  batch: { value: 1000, description: "finc: batch and best-effort workloads, preempted first." },
};

/** PriorityClasses for the service tiers in use (databases are always critical). */
export function priorityClassDocuments(model: PlatformModel): EmittedDocument[] {
  const tiers = new Set(model.services.map((s) => s.tier));
  if (model.databases.length) tiers.add("critical");
  return [...tiers].sort().map((tier) =>
    document(`_cluster/priorityclass-${priorityClassName(tier)}.yaml`, {
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: metadata(priorityClassName(tier), undefined, labels(model, priorityClassName(tier), "scheduling")),
      value: VALUES[tier]!.value,
      globalDefault: false,
      preemptionPolicy: tier === "batch" ? "Never" : "PreemptLowerPriority",
      description: VALUES[tier]!.description,
    }, model.platform.origin),
  );
}
