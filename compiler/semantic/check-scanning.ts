import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * `scanning trivy` without `monitoring prometheus` (FIN4076, a warning): the operator writes
 * VulnerabilityReports, but no alert reads its metrics, so a critical finding waits for someone
 * to look. Only for an explicit `scanning` line: the pci-dss default says so in the report.
 */
export function checkScanning(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  if (!p.scanning || p.monitoring || !p.fields["scanning"]) return;
  report(diag("FIN4076", p.fields["scanning"], {}));
}
