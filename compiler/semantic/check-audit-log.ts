import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { PCI_AUDIT_HOT_MONTHS, PCI_AUDIT_RETAIN_MONTHS } from "../model/audit-model.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * FIN4066: under `compliance pci-dss` an audit stream kept shorter than PCI DSS 4.0.1 10.5.1 asks
 * (12 months of history, the last 3 immediately available), at the number that is too small.
 */
export function checkAuditLog(model: PlatformModel, report: (d: Diagnostic) => void): void {
  if (!model.platform.compliance.includes("pci-dss")) return;
  for (const s of model.services) {
    const a = s.auditLog;
    if (!a) continue;
    const line = s.fields["audit-log"] ?? s.origin;
    if (a.retainMonths < PCI_AUDIT_RETAIN_MONTHS)
      report(diag("FIN4066", a.retainRange ?? line, {
        message: `Under \`compliance pci-dss\` '${s.name}' keeps its audit records ${a.retainMonths} months: PCI DSS 10.5.1 requires at least ${PCI_AUDIT_RETAIN_MONTHS} months of audit log history.`,
        hint: `Write \`retain ${PCI_AUDIT_RETAIN_MONTHS} months\` (or longer).`,
      }));
    if (a.hotMonths < PCI_AUDIT_HOT_MONTHS)
      report(diag("FIN4066", a.hotRange ?? line, {
        message: `Under \`compliance pci-dss\` '${s.name}' keeps its audit records immediately readable ${a.hotMonths} months: PCI DSS 10.5.1 requires the last ${PCI_AUDIT_HOT_MONTHS} months immediately available for analysis.`,
        hint: `Write \`hot ${PCI_AUDIT_HOT_MONTHS} months\` (or longer).`,
      }));
  }
}
