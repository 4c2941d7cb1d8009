import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel } from "../model/platform-model.js";

/** Standalone PostgreSQL pods do not replicate: more than one would be separate primaries behind one Service. */
export function checkDatabases(model: PlatformModel, report: (d: Diagnostic) => void): void {
  for (const db of model.databases) {
    if (db.mode === "standalone" && db.instances > 1)
      report(diag("FIN4040", db.fields["instances"] ?? db.fields["engine"] ?? db.origin, { name: db.name, instances: db.instances }));
  }
}
