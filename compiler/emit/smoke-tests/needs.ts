import { drillPlans } from "../../model/drill-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { smokeTarget, smokeTestName } from "../../model/smoke-test-model.js";

type Entry = { from: string; to: string; port?: number };

/**
 * What the smoke tests and drills need, for the runtime-check needs file (emit/needs), from the
 * model alone: each smoke test calls its service on the tested port and reaches none of the
 * databases that service calls; each drill reaches the object store (DrillPlan.egress: its cloud's endpoint
 * and its identity's token endpoint) and not the live database it restores.
 */
export function smokeAndDrillNeeds(model: PlatformModel): { calls: Entry[]; external: Entry[]; denied: Entry[] } {
  const calls: Entry[] = [];
  const external: Entry[] = [];
  const denied: Entry[] = [];
  const databases = new Set(model.databases.map((d) => d.name));
  for (const s of model.services) {
    const t = smokeTarget(s);
    if (!t?.ok) continue;
    const from = `${s.namespace}/${smokeTestName(s)}`;
    calls.push({ from, to: `${s.namespace}/${s.name}`, port: t.port.port });
    for (const c of s.calls) {
      const db = model.databases.find((d) => d.name === c);
      if (db && databases.has(c)) denied.push({ from, to: `${db.namespace}/${db.name}` });
    }
  }
  for (const d of drillPlans(model)) {
    const from = `${d.scratch ?? d.namespace}/${d.name}`;
    // `into namespace`: the drill's pod reaches the API server only; the restored Cluster (the operator's pods) reads the archive.
    if (!d.scratch) for (const e of d.egress) external.push({ from, ...e });
    denied.push({ from, to: `${d.namespace}/${d.database.name}` });
  }
  return { calls, external, denied };
}
