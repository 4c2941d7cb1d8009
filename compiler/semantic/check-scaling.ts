import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel, ServiceModel } from "../model/platform-model.js";
import type { FieldValues } from "./read-fields.js";
import type { Ref } from "./readers.js";
import type { TriggerRead } from "./schema/scaling-fields.js";

/** `auth <store> "<path>"` on a `scale` line names a declared secret store. */
export function checkScalingRefs(v: FieldValues, storeRef: (r: Ref) => void): void {
  for (const t of v.all<TriggerRead[]>("scale").flat()) if (t.kind === "kafka" && t.auth && t.storeRange) storeRef({ name: t.auth.store, range: t.storeRange });
}

/** What the service's horizontal autoscaler scales on: CPU and/or memory, or nothing (events only, or no autoscaler). */
export function resourceMetrics(s: ServiceModel): string[] {
  if (s.replicas.max <= s.replicas.min) return [];
  const out: string[] = [];
  if (s.scaling?.scale?.length) {
    if (s.replicas.cpuTarget !== undefined) out.push("CPU");
    if (s.replicas.memoryTarget !== undefined) out.push("memory");
    return out;
  }
  // The plain HPA scales on CPU unless only a memory target is given (emit/kubernetes/service.ts).
  if (s.replicas.cpuTarget !== undefined || s.replicas.memoryTarget === undefined) out.push("CPU");
  if (s.replicas.memoryTarget !== undefined) out.push("memory");
  return out;
}

/**
 * Scaling and delivery checks of one environment: event scaling needs a replica range,
 * the VPA in Auto mode must not fight a CPU/memory HPA, a rollout owns the canary's
 * weights (no `split`), and critical services stay off spot capacity.
 */
export function checkScaling(model: PlatformModel, report: (d: Diagnostic) => void): void {
  for (const s of model.services) {
    const f = s.fields;
    const sc = s.scaling;
    if (!sc) continue;
    const replicasHere = f["replicas"] ? { related: [{ message: "replicas set here", range: f["replicas"] }] } : {};
    if (sc.scale?.length && s.replicas.max <= s.replicas.min)
      report(diag("FIN4018", f["scale"] ?? s.origin, { name: s.name, replicas: s.replicas.max }, replicasHere));
    const metrics = resourceMetrics(s);
    if (sc.rightSize === "auto" && metrics.length)
      report(diag("FIN4019", f["right-size"] ?? s.origin, { name: s.name, metric: metrics.join(" and ") }, replicasHere));
    if (sc.rollout && s.traffic?.split)
      report(diag("FIN4020", f["rollout"] ?? s.origin, { name: s.name }, f["split"] ? { related: [{ message: "split set here", range: f["split"] }] } : {}));
    if (sc.spot && s.tier === "critical")
      report(diag("FIN4021", f["spot"] ?? s.origin, { name: s.name }, f["tier"] ? { related: [{ message: "tier set here", range: f["tier"] }] } : {}));
  }
}
