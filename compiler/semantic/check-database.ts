import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel } from "../model/platform-model.js";
import { checkDatabaseImages } from "./check-database-image.js";
import { checkDatabaseReplicas } from "./check-database-replica.js";
import { checkRecovery } from "./check-recovery.js";
import { checkDrills } from "./check-drills.js";

/**
 * Databases, per environment:
 * - standalone PostgreSQL pods do not replicate: more than one would be separate primaries behind one Service (FIN4040);
 * - an operator-run database archiving to the backup bucket needs the IRSA role of its Cluster's
 *   service account, which finc can name only with the platform's `cluster` (the OIDC provider the
 *   role trusts): with `account` (the bucket) but no `cluster`, barman-cloud would have no
 *   credentials and every WAL upload would fail, silently until someone restores (FIN4061);
 * - images (FIN4057) and replica clusters (FIN4055) in their own files.
 */
export function checkDatabases(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  for (const db of model.databases) {
    if (db.mode === "standalone" && db.instances > 1)
      report(diag("FIN4040", db.fields["instances"] ?? db.fields["engine"] ?? db.origin, { name: db.name, instances: db.instances }));
    if (db.mode === "operator" && db.backup && p.cloud === "aws" && p.account && !p.cluster)
      report(diag("FIN4061", db.fields["backup"] ?? db.origin, { name: db.name }));
  }
  checkDatabaseImages(model, report);
  checkDatabaseReplicas(model, report);
  checkRecovery(model, report);
  checkDrills(model, report);
}
