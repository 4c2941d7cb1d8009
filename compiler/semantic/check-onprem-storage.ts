import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * `cloud onprem` has no CSI driver finc could know: the StorageClasses of the databases
 * (CloudNativePG instances and standalone StatefulSets both claim volumes) need the
 * platform's `storage-provisioner`, else every claim stays Pending (FIN4052, at `cloud`).
 */
export function checkOnpremStorage(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  if (p.cloud !== "onprem" || p.storageProvisioner !== undefined || !model.databases.length) return;
  const [first, ...rest] = model.databases;
  const what = `database '${first!.name}'` + (rest.length ? ` (and ${rest.length} more)` : "");
  report(diag("FIN4052", p.fields["cloud"] ?? p.origin, { what }, {
    related: [{ message: `'${first!.name}' claims volumes here`, range: first!.fields["storage"] ?? first!.origin }],
  }));
}
