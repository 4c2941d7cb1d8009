import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * `scale on queue sqs`: KEDA reads the queue's depth with the workload's IAM role (its
 * TriggerAuthentication says `identityOwner: workload`), so the workload needs one:
 * - on a cloud other than aws there is no IRSA role to have (FIN4053, error);
 * - on aws the role is created by the terraform target, but its ServiceAccount is annotated
 *   with it only when the platform names `account` and `cluster` (FIN4054, warning):
 *   without the annotation KEDA has no role to assume and the scaler fails.
 */
export function checkSqsIdentity(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  for (const s of model.services) {
    const sqs = (s.scaling?.scale ?? []).filter((t) => t.kind === "sqs");
    if (!sqs.length) continue;
    const at = sqs[0]!.origin;
    if (p.cloud !== "aws") report(diag("FIN4053", at, { name: s.name, cloud: p.cloud }));
    else if (!p.account || !p.cluster)
      report(diag("FIN4054", at, { name: s.name, missing: [!p.account ? "`account`" : "", !p.cluster ? "`cluster`" : ""].filter(Boolean).join(" and ") }));
  }
}
