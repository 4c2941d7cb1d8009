import { chaosExperiments, type ChaosExperiment, type PodSet } from "../../model/chaos-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type Emitter, type EmittedDocument, type Manifest } from "../output.js";

const seconds = (ms: number): string => `${Math.round(ms / 1000)}s`;
const goMs = (ms: number): string => `${ms}ms`;

function selector(p: PodSet): Manifest {
  return { namespaces: [p.namespace], labelSelectors: { ...p.labels } };
}

/** The experiment as Chaos Mesh's Schedule embeds it: `type` names the kind, the same-named key holds its spec. */
function experiment(model: PlatformModel, e: ChaosExperiment): { type: string; key: string; spec: Manifest } {
  const duration = seconds(model.platform.chaos!.durationMs);
  switch (e.kind) {
    case "pod-kill":
      // pod-kill ends on its own (the pod is gone); `duration` is how long the experiment stays "running".
      return { type: "PodChaos", key: "podChaos", spec: { action: "pod-kill", mode: "one", selector: selector(e.target), duration } };
    case "latency": {
      const latencyMs = model.platform.chaos!.latencyMs;
      return {
        type: "NetworkChaos",
        key: "networkChaos",
        spec: { action: "delay", mode: "all", selector: selector(e.from), direction: "to", target: { mode: "all", selector: selector(e.to) }, delay: { latency: goMs(latencyMs), jitter: goMs(Math.round(latencyMs / 10)), correlation: "25" }, duration },
      };
    }
    case "partition":
      return {
        type: "NetworkChaos",
        key: "networkChaos",
        spec: {
          action: "partition",
          mode: "all",
          selector: selector(e.database),
          direction: "both",
          target: { mode: "all", selector: { namespaces: [...e.callers.namespaces], expressionSelectors: [{ key: "app.kubernetes.io/name", operator: "In", values: [...e.callers.names] }] } },
          duration,
        },
      };
  }
}

function scheduleDocument(model: PlatformModel, e: ChaosExperiment): EmittedDocument {
  const namespace = e.kind === "pod-kill" ? e.target.namespace : e.kind === "latency" ? e.from.namespace : e.database.namespace;
  const x = experiment(model, e);
  const chaos = model.platform.chaos!;
  return document(`${namespace}/schedule-${e.name}.yaml`, {
    apiVersion: "chaos-mesh.org/v1alpha1",
    kind: "Schedule",
    metadata: metadata(e.name, namespace, labels(model, e.name, "chaos"), { "finc.dev/why": e.why }),
    spec: { schedule: chaos.schedule, type: x.type, concurrencyPolicy: "Forbid", historyLimit: 5, startingDeadlineSeconds: 300, [x.key]: x.spec },
  }, chaos.origin, { "/spec/schedule": chaos.origin });
}

/**
 * Chaos experiments (mission area 12) as Chaos Mesh Schedules in the environments `chaos`
 * names: one replica killed, latency on every service call, each database partitioned from its
 * callers (model/chaos-model.ts). Never overlapping (concurrency Forbid).
 */
export const chaosEmitter: Emitter = {
  id: "chaos",
  emit(model) {
    return { documents: chaosExperiments(model).map((e) => scheduleDocument(model, e)), diagnostics: [] };
  },
};
