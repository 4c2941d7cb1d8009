import type { DrillPlan } from "../../model/drill-model.js";

/**
 * Who assumes a drill's read-only IAM role: the drill's own ServiceAccount, which runs
 * barman-cloud itself; with `into namespace <scratch>` the restored Cluster's ServiceAccount
 * there instead (CloudNativePG names it after the Cluster, `<db>-restore`; emit/drills/into-namespace.ts) —
 * the CronJob's kubectl needs no cloud identity.
 */
export function drillTrustSubject(d: DrillPlan): string {
  return d.scratch ? `system:serviceaccount:${d.scratch}:${d.database.name}-restore` : `system:serviceaccount:${d.namespace}:${d.name}`;
}
